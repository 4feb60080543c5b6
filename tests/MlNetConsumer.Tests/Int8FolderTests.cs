using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Exporter.Graphs;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// An int8 export (`vqvae-export --int8`) is an ordinary model folder to the consumer: same graphs, same interface.
/// The patch model's decoder is exported as a float32 table of its codes, which --int8 keeps (nothing to quantize),
/// so the default int8 folder scores exactly as the float32 one.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class Int8FolderTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-int8-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void An_int8_folder_of_a_table_decoder_opens_and_scores_exactly_as_float32()
    {
        var c = models.Gray;
        var int8 = Path.Combine(temp, "onnx-int8");
        var export = VqVaeOnnxExporter.Export(c.Model, new CheckpointInfo { Model = c.Config, Epoch = 1 }, int8, precision: GraphPrecision.Int8);
        Assert.Equal(c.Config.CodebookSize, export.DecoderTableCodes);

        var folder = VqVaeModelFolder.Open(int8);
        Assert.Equal(c.Config, folder.Config);

        var float32Out = Path.Combine(temp, "float32");
        var int8Out = Path.Combine(temp, "int8");
        var floatRun = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", float32Out);
        var int8Run = Cli.Run("score", "--model", int8, "--images", c.ImagesFolder, "--out", int8Out);
        Assert.True(floatRun.ExitCode == 0, floatRun.Err);
        Assert.True(int8Run.ExitCode == 0, int8Run.Err);

        var expected = ReadCodes(Path.Combine(float32Out, "codes.csv"));
        var actual = ReadCodes(Path.Combine(int8Out, "codes.csv"));
        Assert.Equal(expected.Select(r => r.Path), actual.Select(r => r.Path));
        long same = expected.Zip(actual).Sum(p => p.First.Codes.Zip(p.Second.Codes).Count(q => q.First == q.Second));
        long all = expected.Sum(r => r.Codes.Length);
        // The default int8 folder keeps the float32 encoder and quantizer, so every code must be float32's.
        Assert.True(same == all, $"{same} of {all} codes identical to float32's");
        // And the float32 table decoder: each image's reconstruction error is float32's to the last digit.
        Assert.Equal(File.ReadAllLines(Path.Combine(float32Out, "metrics.csv")), File.ReadAllLines(Path.Combine(int8Out, "metrics.csv")));
    }

    static List<CodesRow> ReadCodes(string path)
    {
        using var reader = new StreamReader(path);
        return CodesCsv.Read(reader, path).Select(r => r.Row ?? throw new Xunit.Sdk.XunitException(r.Error!.Reason)).ToList();
    }
}
