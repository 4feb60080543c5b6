namespace VqVaeMl.MlNet;

/// <summary>
/// Column names of the VQ-VAE pipeline that no graph declares. ApplyOnnxModel binds columns to graph
/// inputs and outputs by name, so the columns that cross an ONNX graph are named by the graph's own
/// tensor names, <see cref="OnnxContract"/>.Image, ZE, Codes, ZQ and Reconstruction (checked by
/// <see cref="VqVaeModelFolder"/>), and have no second name here.
/// </summary>
public static class VqVaeColumns
{
    /// <summary>Input: path of an image file (absolute, or relative to the pipeline's image folder).</summary>
    public const string ImagePath = "ImagePath";
    /// <summary>The decoded image (MLImage), before and after resizing.</summary>
    public const string LoadedImage = "LoadedImage";
    public const string ResizedImage = "ResizedImage";
    /// <summary>Grayscale copy, only in pipelines for one-channel models.</summary>
    public const string GrayImage = "GrayImage";

    /// <summary>float [3·H·W] in 0..255 (+0.5 so ConvertToImage's truncation rounds): planar R, G, B.</summary>
    public const string ReconstructionRgb = "ReconstructionRgb";
    /// <summary>The reconstruction as an MLImage.</summary>
    public const string ReconstructionImage = "ReconstructionImage";
}
