using Microsoft.ML;
using VqVae.TestSupport;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// Asking for CUDA: with fallback the pipeline runs wherever ONNX Runtime can and says where; without
/// fallback it runs on CUDA or refuses with one clear line. Which branch runs depends on the machine
/// (the CI machines have no GPU); each branch checks its own outcome.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ExecutionProviderTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-ep-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Without_a_gpu_request_the_graphs_run_on_cpu()
    {
        var model = VqVaeModelFolder.Open(models.Gray.OnnxDir);
        Assert.Equal(ExecutionProviderProbe.Cpu, VqVaeScoringModel.ForImages(new MLContext(seed: 0), model).ExecutionProvider);
    }

    [Fact]
    public void Gpu_with_cpu_fallback_scores_the_same_codes_and_reports_its_provider()
    {
        var c = models.Gray;
        var model = VqVaeModelFolder.Open(c.OnnxDir);
        var cpu = VqVaeScoringModel.ForImages(new MLContext(seed: 0), model).CreateImageEngine<VqVaePrediction>();
        var gpu = VqVaeScoringModel.ForImages(new MLContext(seed: 0), model, new VqVaePipelineOptions { GpuDeviceId = 0, FallbackToCpu = true });
        Assert.Contains(gpu.ExecutionProvider, new[] { ExecutionProviderProbe.Cuda, ExecutionProviderProbe.Cpu });
        var engine = gpu.CreateImageEngine<VqVaePrediction>();
        foreach (var relative in c.Images.Take(8))
        {
            var input = new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) };
            var (a, b) = (cpu.Predict(input), engine.Predict(input));
            Assert.Equal(a.Codes, b.Codes);
            Assert.True(PipelineParityTests.MaxAbsDiff(a.Reconstruction, b.Reconstruction) <= 1e-5);
        }

        var output = Path.Combine(temp, "fallback");
        var run = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output, "--gpu", "0");
        Assert.Equal(0, run.ExitCode);
        var summary = Scoring.RunSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal(gpu.ExecutionProvider, summary.ExecutionProvider);
        Assert.Equal(c.Images.Count, summary.Scored);
        if (gpu.ExecutionProvider == ExecutionProviderProbe.Cpu) Assert.Contains("CUDA was asked for on GPU 0 but", run.Err);
    }

    [Fact]
    public void Gpu_without_cpu_fallback_runs_on_cuda_or_is_refused_with_a_clear_message()
    {
        var c = models.Gray;
        var model = VqVaeModelFolder.Open(c.OnnxDir);
        var cudaWorks = ExecutionProviderProbe.Choose(model.EncoderPath, 0, fallbackToCpu: true).IsCuda;
        var options = new VqVaePipelineOptions { GpuDeviceId = 0, FallbackToCpu = false };
        var output = Path.Combine(temp, "no-fallback");
        var run = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output, "--gpu", "0", "--no-cpu-fallback");
        if (cudaWorks)
        {
            Assert.Equal(ExecutionProviderProbe.Cuda, VqVaeScoringModel.ForImages(new MLContext(seed: 0), model, options).ExecutionProvider);
            Assert.Equal(0, run.ExitCode);
        }
        else
        {
            var e = Assert.Throws<ExecutionProviderException>(() => VqVaeScoringModel.ForImages(new MLContext(seed: 0), model, options));
            Assert.Contains("CUDA execution provider could not start on GPU 0 and CPU fallback is off", e.Message);
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.Err.Split('\n'), l => l.StartsWith("error:"));
            Assert.Contains("GPU 0", line);
            Assert.Contains("--no-cpu-fallback", line);
            Assert.False(Directory.Exists(output));
        }
    }

    [Fact]
    public void Falling_back_to_cpu_says_why_in_one_line_and_keeps_the_native_log_behind_verbose()
    {
        var c = models.Gray;
        if (ExecutionProviderProbe.Choose(VqVaeModelFolder.Open(c.OnnxDir).DecoderPath, 0, fallbackToCpu: true).IsCuda)
        {
            // A GPU machine: nothing falls back, so nothing is said, and the graphs ran on CUDA.
            var onGpu = CliProcess.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", Path.Combine(temp, "gpu"), "--gpu", "0");
            Assert.True(onGpu.ExitCode == 0, onGpu.Err);
            Assert.DoesNotContain("note:", onGpu.Err);
            Assert.Contains("CUDA", onGpu.Out);
            return;
        }

        var quiet = CliProcess.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", Path.Combine(temp, "quiet"), "--gpu", "0");
        Assert.Equal(0, quiet.ExitCode);
        var line = Assert.Single(quiet.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("note: CUDA was asked for on GPU 0 but ", line);
        Assert.EndsWith("; running on CPU", line);
        Assert.DoesNotContain("onnxruntime", quiet.Out + quiet.Err, StringComparison.OrdinalIgnoreCase);

        // The same run with --verbose shows ONNX Runtime's own log, so the quiet run's silence is not an accident of the test.
        var verbose = CliProcess.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", Path.Combine(temp, "verbose"), "--gpu", "0", "--verbose");
        Assert.Equal(0, verbose.ExitCode);
        if (!line.Contains("no CUDA provider")) Assert.Contains("onnxruntime", verbose.Out + verbose.Err, StringComparison.OrdinalIgnoreCase);
    }
}
