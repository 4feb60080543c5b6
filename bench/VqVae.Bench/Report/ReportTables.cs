using VqVae.Exporter.Verification;
using VqVaeMl.MlNet.Scoring;

namespace VqVae.Bench;

/// <summary>A table as plain strings, drawn by both the console and the markdown report.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string> Notes);

/// <summary>The bench's tables, in this order: machine, ceiling, training, inference, memory, targets.</summary>
public static class ReportTables
{
    public const string Pass = "PASS";
    public const string Fail = "FAIL";

    /// <summary>The tables of the sections that ran (<c>--only</c> runs some).</summary>
    public static IReadOnlyList<ReportTable> Build(BenchResults r) =>
        new[] { Machine(r), Ceiling(r), Training(r), PostComparison(r), Inference(r), Int8(r.Int8, r.Settings, r.Machine), Sampling(r), Memory(r), Checks(r) }
            .Where(t => t.Rows.Count > 0).ToList();

    static ReportTable Machine(BenchResults r)
    {
        var m = r.Machine;
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "command", r.Command },
            new[] { "date", r.Started.ToString("yyyy-MM-dd HH:mm zzz") },
            new[] { "CPU", $"{m.CpuModel}, {m.LogicalCores} logical cores; {m.VectorUnits}" },
            new[] { "OS", m.Os },
            new[] { "threads", $"{m.Threads} (libtorch set_num_threads and vqvae-train --threads; ONNX Runtime intra-op threads; ML.NET and vqvae-score: ONNX Runtime's default)" },
            new[] { "OMP_WAIT_POLICY", m.OmpWaitPolicy },
            new[] { "ONEDNN_MAX_CPU_ISA", m.OnednnMaxCpuIsa },
            new[] { "THP_MEM_ALLOC_ENABLE", m.ThpMemAllocEnable },
        };
        rows.AddRange(m.Versions.Select(v => (IReadOnlyList<string>)new[] { v.Name, v.Version }));
        rows.Add(new[] { "bench time", string.Join(", ", r.Timings.Select(t => $"{t.Section} {t.Seconds:F0} s")) + $"; total {r.Timings.Sum(t => t.Seconds):F0} s" });
        var notes = r.Settings.Quick
            ? new[] { "QUICK MODE: tiny counts to check the bench runs; these figures are not the benchmark." }
            : Array.Empty<string>();
        return new ReportTable("Machine and run", ["", ""], rows, notes);
    }

    static ReportTable Ceiling(BenchResults r)
    {
        var c = r.Ceiling;
        var rows = c.Shapes.Select(s => (IReadOnlyList<string>)new[]
        {
            s.Shape.Use, s.Shape.Dims, $"{s.Shape.Flops / 1e9:F2}",
            s.Libtorch.Describe(), s.LibtorchFreshOutput.Describe(), s.Ort.Describe(),
        }).ToList();
        return new ReportTable("1. Ceiling: FP32 matrix product (GFLOP/s)",
            ["product", "shape", "GFLOP", "libtorch", "libtorch, fresh output", "ONNX Runtime MatMul"], rows,
        [
            $"Ceiling used for every fraction below: **{c.LibtorchGflops:F1} GFLOP/s** (libtorch, best median, at {c.LibtorchBestShape.Use} {c.LibtorchBestShape.Dims}). ONNX Runtime MatMul best: {c.OrtGflops:F1} GFLOP/s.",
            (r.Settings.GemmRepeats == 1 ? "Each figure: 1 timed product after 1 warm-up." : $"Each figure: median (min–max) of {r.Settings.GemmRepeats} timed products after 1 warm-up.") + " libtorch: addmm_ into one preallocated output (β = 0); " +
            "'fresh output': matmul allocating its result each time, as the model's layers do. ONNX Runtime: a one-node MatMul graph, B an initializer, output bound to one preallocated buffer.",
        ]);
    }

    static ReportTable Sampling(BenchResults r)
    {
        if (r.Sampling is not { } s) return new ReportTable("3c. Prior sampling", [], [], []);
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "table (Gather + DepthToSpace)", $"{s.Samples}", s.TableSamplesPerSecond.Describe(), $"{s.Speedup:F2}×" },
            new[] { "direct (codebook lookup, transposed convolution, Linear)", $"{s.Samples}", s.DirectSamplesPerSecond.Describe(), "1.00×" },
        };
        return new ReportTable("3c. Prior sampling (mnist)", ["decoder.onnx", "samples", "samples/s", "of direct"], rows, [s.Measured]);
    }

    static ReportTable Training(BenchResults r)
    {
        double ceiling = r.Ceiling.LibtorchGflops;
        var runs = r.Training.Concat(r.TrainingDirect ?? []).OrderBy(t => t.Preset).ThenBy(t => t.DecoderPath);
        var rows = runs.Select(t => (IReadOnlyList<string>)new[]
        {
            t.Preset, $"D={t.Model.HiddenSize} K={t.Model.CodebookSize} p={t.Model.PatchSize} {t.Model.Channels}×{t.Model.Height}×{t.Model.Width}, batch {t.BatchSize}",
            KebabCase.Name(t.DecoderPath), t.ImagesPerSecond.Describe(), $"{t.Flops.TrainingFlops / 1e6:F0}", $"{t.Gflops:F1}", $"{t.RealGflops:F1}", $"{t.Gflops / ceiling:P0}",
            r.Training.Contains(t) ? (t.Gflops / ceiling >= Targets.TrainingOfCeiling ? Pass : Fail) : "",
        }).ToList();
        var speedups = r.Training.Join(r.TrainingDirect ?? [], t => t.Preset, d => d.Preset,
            (t, d) => $"{t.Preset}: {KebabCase.Name(t.DecoderPath)} path {t.ImagesPerSecond.Median / d.ImagesPerSecond.Median:F2}× the direct path's images/s.");
        return new ReportTable("2. Training",
            ["preset", "configuration", "decoder", "images/s", "MFLOP/image (3× forward)", "useful GFLOP/s", "real GFLOP/s", "of ceiling", $"≥ {Targets.TrainingOfCeiling:P0}"], rows,
            [.. runs.Select(t => $"{t.Preset}, {KebabCase.Name(t.DecoderPath)}: {t.Measured}; whole run {t.WallSeconds:F0} s."),
             .. speedups,
             "Useful GFLOP/s counts the direct path's multiply-adds per image whichever path ran; real GFLOP/s counts what the path computed (the table path: the K codes' decoder and Jacobians per batch, a P×D Jacobian product per position; ModelFlops.TableTrainingFlops). The target is judged on the useful rate of the default (auto) run.",
             "FLOPs per image are counted from the configuration (ModelFlops: encoder Conv2d H·W·C·D + encoder Linear h·w·D² + distances h·w·K·D + ConvTranspose2d H·W·D² + decoder Linear H·W·D·C multiply-adds, ×2 FLOP, ×3 for forward + backward)."]);
    }

    static ReportTable PostComparison(BenchResults r)
    {
        double ceiling = r.Ceiling.LibtorchGflops;
        var rows = r.PostComparisons.Select(p =>
        {
            var trainerGflops = p.Trainer.Median * p.Flops.TrainingFlops / 1e9;
            return (IReadOnlyList<string>)new[]
            {
                p.Preset, $"batch {p.BatchSize}", p.Port.Describe(), p.Trainer.Describe(), $"{p.Speedup:F2}×", p.PairRatios.Describe("F2"),
                $"{p.Port.Median * p.Flops.TrainingFlops / 1e9 / ceiling:P0}", $"{trainerGflops / ceiling:P0}",
                p.Speedup >= Targets.SpeedupOverPost ? Pass : Fail,
            };
        }).ToList();
        return new ReportTable("2b. Training against the post's code, same run",
            ["preset", "", "the post's code, images/s", "vqvae-train's loop, images/s", "speedup", "epoch-pair ratios", "post of ceiling", "trainer of ceiling", $"≥ {Targets.SpeedupOverPost:0.#}×"], rows,
        [
            .. r.PostComparisons.Take(1).Select(p => $"Each preset: {p.Measured}."),
            "The post's code: its PyTorch model, loss and loop ported line by line to TorchSharp (bench/VqVae.Bench/Training/PostPort.cs: Conv2d, ConvTranspose2d, Linear, Embedding, cdist, Adam), run by libtorch's eager kernels as PyTorch 2.x runs the Python; batches sliced from the in-memory training tensor (the post's DataLoader decodes each image with PIL, which is not counted). " +
            "vqvae-train's loop: the project's TrainingLoop on the preset `vqvae-train train --preset` runs, the same training images. Both in one child process, oneDNN not capped (PyTorch's default), the CLIs' other native settings (OMP_WAIT_POLICY, THP_MEM_ALLOC_ENABLE) for both.",
        ]);
    }

    static ReportTable Inference(BenchResults r)
    {
        double ceiling = r.Ceiling.LibtorchGflops;
        var rows = new List<IReadOnlyList<string>>();
        var notes = new List<string>();
        foreach (var i in r.Inference)
        {
            foreach (var p in i.Paths)
            {
                string verdict = p.Name switch
                {
                    InferenceResult.OrtBatched => i.Gflops(p) / ceiling >= Targets.OrtBatchedOfCeiling ? Pass : Fail,
                    _ when p.Name == InferenceResult.ScoreFiles => i.ScoreOfOrtBatched.Median >= Targets.ScoreOfOrtBatched ? Pass : Fail,
                    _ => "",
                };
                string ofOrt = p.Name == InferenceResult.ScoreFiles ? $"{i.OfOrtBatched(p):P0}; run by run {i.ScoreOfOrtBatched.Median:P0}" : $"{i.OfOrtBatched(p):P0}";
                rows.Add(new[] { i.Preset, p.Name, $"{p.Batch}", p.ImagesPerSecond.Describe(), $"{i.Gflops(p):F1}", $"{i.Gflops(p) / ceiling:P0}", ofOrt, verdict });
            }
        }
        if (r.Inference.Count > 0)
        {
            var first = r.Inference[0];
            notes.AddRange(first.Paths.Select(p => $"{p.Name}: {p.Measured}."));
        }
        foreach (var i in r.Inference)
            notes.Add($"{i.Preset}: `score --graphs transformer` over `score --graphs sessions`, run by run: {i.TransformerOfSessions.Describe("P0")} " +
                      $"(ML.NET's ApplyOnnxModel stays `score`'s default batched path at ≥ {InferenceResult.TransformerOfSessionsToKeep:P0}; default now: " +
                      $"{ImageScorers.DefaultBatchedGraphs.ToString().ToLowerInvariant()}).");
        notes.Add($"Model: each preset's configuration, freshly initialised and exported with VqVaeOnnxExporter; forward FLOPs/image: " +
                  string.Join(", ", r.Inference.Select(i => $"{i.Preset} {i.Flops.ForwardFlops / 1e6:F0} M")) + ".");
        notes.Add($"Targets: ONNX Runtime batched ≥ {Targets.OrtBatchedOfCeiling:P0} of the ceiling; `score` from files ≥ {Targets.ScoreOfOrtBatched:P0} of batched ONNX Runtime, " +
                  "judged run by run: each `score` run over a batched ONNX Runtime pass (same sessions, images in memory) made just before it, median of those ratios.");
        return new ReportTable("3. Inference", ["preset", "path", "batch", "images/s", "GFLOP/s", "of ceiling", "of ORT batched", "target"], rows, notes);
    }

    /// <summary>The int8 export against the float32 one on trained models (<see cref="Int8Bench"/>).</summary>
    public static ReportTable Int8(IReadOnlyList<Int8Result> results, BenchSettings settings, MachineInfo machine)
    {
        string Verdict(bool pass) => pass ? Pass : Fail;
        IReadOnlyList<string> Row(Int8Result i, string graphs, Samples int8, double speedup, Int8Report accuracy) => new[]
        {
            i.Preset, i.Model, graphs, $"{i.Batch}", i.Float32.Describe(), int8.Describe(),
            $"{speedup:F2}× {Verdict(speedup >= Targets.Int8Speedup)}",
            $"{accuracy.CodesIdenticalShare:P2} {Verdict(accuracy.CodesIdenticalShare >= Int8Report.MinCodesIdentical)}",
            accuracy.CodesIdentical == accuracy.CodesCompared ? "" : $"{(double)accuracy.NearTies / (accuracy.CodesCompared - accuracy.CodesIdentical):P0}",
            $"{accuracy.Float32Psnr:F2} / {accuracy.Int8Psnr:F2} (loss {accuracy.PsnrLoss:F2}) {Verdict(accuracy.PsnrLoss <= Int8Report.MaxPsnrLoss)}",
            $"{accuracy.Int8VsFloat32Psnr:F1}",
        };
        var rows = results.SelectMany(i => new[]
        {
            Row(i, "decoder (`--int8`)", i.Int8, i.Speedup, i.Accuracy),
            Row(i, "encoder and decoder (`--int8 --int8-encoder`)", i.Int8Encoder, i.EncoderSpeedup, i.EncoderAccuracy),
        }).ToList();
        var notes = results.Select(i => $"{i.Preset}: {i.Measured}.").ToList();
        notes.Add($"Targets: int8 ≥ {Targets.Int8Speedup:F1}× float32's batched ONNX Runtime throughput, ≥ {Int8Report.MinCodesIdentical:P0} codes identical to float32's, " +
                  $"reconstruction PSNR (against the input images) within {Int8Report.MaxPsnrLoss} dB of float32's. int8 products: " +
                  "per-channel int8 weights and dynamically quantized activations, in the decoder's transposed convolution (`vqvae-export --int8`) and also in the encoder's Linear (`--int8-encoder`); the quantizer is float32 in both.");
        notes.Add($"Near-ties: differing codes where, on float32's own z_e, the int8 choice is at most {Int8Report.NearTieGap:P0} farther than float32's (two almost equally near codes tipped by the int8 encoder's rounding).");
        notes.Add($"CPU features seen by the bench: {machine.VectorUnits}.");
        return new ReportTable("3b. Inference in int8 (trained models)",
            ["preset", "model", "int8 graphs", "batch", "float32 images/s", "int8 images/s", "int8 / float32", "codes identical", "of the differing: near-ties", "PSNR dB float32 / int8", "int8 vs float32 PSNR dB"], rows, notes);
    }

    static ReportTable Memory(BenchResults r)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var t in r.Training)
        {
            foreach (int epoch in new[] { 1, 2, t.Epochs }.Distinct())
                rows.Add(new[] { $"training {t.Preset}, epoch {epoch}" + (epoch == 1 ? " (with start-up, data loading)" : ""), Targets.Mb(t.PeakRssAt(epoch)) });
            rows.Add(new[] { $"training {t.Preset}, whole run (VmHWM)", Targets.Mb(t.RunPeakRss) });
        }
        if (r.ScoreMemory is { } s)
            rows.Add(new[] { $"`vqvae-score score`, {s.Images:N0} MNIST PNG files ({s.ImagesPerSecond:F1} images/s)", Targets.Mb(s.PeakRssBytes) });
        return new ReportTable("4. Memory: peak resident set (MB = 10⁶ bytes)", ["process", "peak RSS MB"], rows,
        [
            "Child processes (vqvae-train, vqvae-score), /proc/<pid>/status sampled every 50 ms. Per epoch: the largest VmRSS sampled between the trainer's epoch lines; whole run: the largest of VmRSS and VmHWM.",
            $"Training memory is from the same runs as section 2 (MNIST: all 60,000 training images loaded, {r.Settings.MnistValidationImages} validation images).",
        ]);
    }

    static ReportTable Checks(BenchResults r) =>
        new("Targets", ["target", "measured", "result"],
            r.Checks.Select(c => (IReadOnlyList<string>)new[] { c.Target, c.Measured, c.Pass ? Pass : Fail }).ToList(),
            r.Checks.Any(c => !c.Pass)
                ? [$"{r.Checks.Count(c => !c.Pass)} of {r.Checks.Count} targets missed."]
                : [$"All {r.Checks.Count} targets met."]);
}
