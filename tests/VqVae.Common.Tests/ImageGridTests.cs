using SkiaSharp;

namespace VqVae.Common.Tests;

public class ImageGridTests
{
    // Values k/255 survive the float → byte round trip exactly, so pixels can be compared by equality.
    static float Level(int k) => k / 255f;

    static SKBitmap Decode(string path) =>
        SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} is not a readable image");

    static (byte R, byte G, byte B) Rgb(SKBitmap bitmap, int x, int y)
    {
        var c = bitmap.GetPixel(x, y);
        return (c.Red, c.Green, c.Blue);
    }

    [Fact]
    public void Grid_places_scaled_cells_left_to_right_top_to_bottom_with_black_padding()
    {
        using var dir = new TempFolder();
        const int count = 5, height = 2, width = 3, columns = 3, padding = 1, scale = 2;
        var images = new float[count * height * width];
        for (int i = 0; i < images.Length; i++) images[i] = Level(10 + i); // every pixel of every image differs

        var path = dir.File("grid.png");
        ImageGrid.Save(path, images, count, 1, height, width, columns, padding, scale);

        using var grid = Decode(path);
        // 3 columns of 3·2 px and 2 rows of 2·2 px, with 1 px padding before each cell and after the last.
        Assert.Equal(3 * (6 + 1) + 1, grid.Width);
        Assert.Equal(2 * (4 + 1) + 1, grid.Height);

        for (int n = 0; n < count; n++)
        {
            int left = padding + n % columns * (width * scale + padding);
            int top = padding + n / columns * (height * scale + padding);
            for (int y = 0; y < height * scale; y++)
                for (int x = 0; x < width * scale; x++)
                {
                    byte k = (byte)(10 + n * height * width + y / scale * width + x / scale);
                    Assert.Equal((k, k, k), Rgb(grid, left + x, top + y)); // gray repeated to RGB
                }
        }
        Assert.Equal((0, 0, 0), Rgb(grid, 0, 0));                      // outer padding
        Assert.Equal((0, 0, 0), Rgb(grid, padding + 6, padding));      // padding between cells
        Assert.Equal((0, 0, 0), Rgb(grid, grid.Width - 3, grid.Height - 3)); // the unused sixth cell
    }

    [Fact]
    public void Grid_keeps_rgb_channels_and_clamps_out_of_range_values()
    {
        using var dir = new TempFolder();
        // One 3×1×2 image: pixel 0 = (−0.5, 1.7, NaN), pixel 1 = (20, 40, 60)/255 in planar C×H×W order.
        float[] image = [-0.5f, Level(20), 1.7f, Level(40), float.NaN, Level(60)];

        var path = dir.File("rgb.png");
        ImageGrid.SavePng(path, image, channels: 3, height: 1, width: 2);

        using var png = Decode(path);
        Assert.Equal((2, 1), (png.Width, png.Height));
        Assert.Equal((0, 255, 0), Rgb(png, 0, 0));
        Assert.Equal((20, 40, 60), Rgb(png, 1, 0));
    }

    [Fact]
    public void Single_image_is_scaled_without_border()
    {
        using var dir = new TempFolder();
        float[] image = [Level(1), Level(2), Level(3), Level(4)]; // 2×2 gray

        var path = dir.File("one.png");
        ImageGrid.SavePng(path, image, channels: 1, height: 2, width: 2, scale: 3);

        using var png = Decode(path);
        Assert.Equal((6, 6), (png.Width, png.Height));
        Assert.Equal((1, 1, 1), Rgb(png, 2, 2));
        Assert.Equal((2, 2, 2), Rgb(png, 3, 0));
        Assert.Equal((3, 3, 3), Rgb(png, 0, 5));
        Assert.Equal((4, 4, 4), Rgb(png, 5, 5));
    }

    [Fact]
    public void Interleaved_grid_puts_each_reconstruction_under_its_input()
    {
        using var dir = new TempFolder();
        const int count = 3, pairsPerRow = 2, side = 2, padding = 2;
        // Each image is one flat level: inputs 100, 101, 102; outputs 200, 201, 202.
        var inputs = Enumerable.Range(0, count).SelectMany(n => Enumerable.Repeat(Level(100 + n), side * side)).ToArray();
        var outputs = Enumerable.Range(0, count).SelectMany(n => Enumerable.Repeat(Level(200 + n), side * side)).ToArray();

        var path = dir.File("recon.png");
        ImageGrid.SaveInterleaved(path, inputs, outputs, channels: 1, height: side, width: side, pairsPerRow, padding);

        using var grid = Decode(path);
        Assert.Equal(pairsPerRow * (side + padding) + padding, grid.Width);
        Assert.Equal(4 * (side + padding) + padding, grid.Height); // 2 input rows + 2 output rows

        byte Cell(int row, int column) => grid.GetPixel(padding + column * (side + padding), padding + row * (side + padding)).Red;
        Assert.Equal([100, 101, 200, 201, 102, 0, 202, 0],
            new[] { Cell(0, 0), Cell(0, 1), Cell(1, 0), Cell(1, 1), Cell(2, 0), Cell(2, 1), Cell(3, 0), Cell(3, 1) });
    }

    [Fact]
    public void Wrong_lengths_and_channel_counts_are_rejected_with_the_numbers()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.png");

        var tooShort = Assert.Throws<ArgumentException>(() => ImageGrid.Save(path, new float[10], 2, 1, 2, 3, columns: 2));
        Assert.Contains("12", tooShort.Message);
        Assert.Throws<ArgumentException>(() => ImageGrid.Save(path, new float[8], 2, 2, 2, 1, columns: 2));
        Assert.Throws<ArgumentException>(() => ImageGrid.SaveInterleaved(path, new float[4], new float[8], 1, 2, 2));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Saving_over_an_existing_file_leaves_only_the_new_png()
    {
        using var dir = new TempFolder();
        var path = dir.File("grid.png");
        File.WriteAllText(path, "old contents");

        ImageGrid.SavePng(path, [Level(7)], 1, 1, 1);

        Assert.Equal([path], Directory.GetFiles(dir.Path));
        using var png = Decode(path);
        Assert.Equal((7, 7, 7), Rgb(png, 0, 0));
    }
}
