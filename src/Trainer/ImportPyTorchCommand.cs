using System.CommandLine;
using Spectre.Console;
using VqVae.Checkpoints;
using VqVae.Cli;
using VqVae.Data.Cache;
using VqVae.Import;
using VqVae.Model;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>
/// `import-pytorch`: a state dict of the reference post's model, saved by PyTorch, becomes a run folder as `train`
/// writes it (best/, last/ at epoch 0 with a fresh optimizer, config.json naming the file and its SHA-256), so
/// `train --resume`, `export`, `prior` and `score` take it unchanged.
/// </summary>
public static class ImportPyTorchCommand
{
    static readonly Option<string> StateDict = new("--state-dict") { Description = "The file of torch.save(model.state_dict(), path) (zip format), or a .safetensors file", Required = true };
    static readonly Option<string> Preset = new("--preset") { Description = "The recipe the run trains on with (data, image size, batch, lr, codebook rules); default the post's mnist", DefaultValueFactory = _ => "mnist" };
    static readonly Option<int?> HiddenSize = new("--hidden-size") { Description = "D; when given, must be the state dict's" };
    static readonly Option<int?> CodebookSize = new("--codebook-size") { Description = "K; when given, must be the state dict's" };
    static readonly Option<int?> PatchSize = new("--patch-size") { Description = "p; when given, must be the state dict's" };
    static readonly Option<int?> Channels = new("--channels") { Description = "C, 1 or 3 (default: the state dict's, which must be the preset's unless given)" };
    static readonly Option<int?> ImageSize = new("--image-size") { Description = "Square image size the model was trained at (default: the preset's)" };
    static readonly Option<string?> Data = new("--data") { Description = "Data folder whose validation images measure the imported weights (default: the preset's)" };
    static readonly Option<string?> Out = new("--out") { Description = "Run folder to write (default models/<state-dict file name>)" };
    static readonly Option<bool> Force = new("--force") { Description = "Replace an existing run folder this tool wrote" };
    static readonly Option<ComputeDevice?> DeviceName = EnumOption.Create<ComputeDevice>("--device", "Where the validation pass runs; auto picks CUDA when libtorch sees it");
    static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (0: one per core)" };

    public static Command Create()
    {
        Preset.AcceptOnlyFromAmong(Presets.Names);
        var command = new Command("import-pytorch", "Import the reference post's model from a PyTorch state dict as a run folder (best/, last/ at epoch 0); train --resume fine-tunes it.")
        {
            StateDict, Preset, HiddenSize, CodebookSize, PatchSize, Channels, ImageSize, Data, Out, Force, DeviceName, Threads,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(StateDict)!;
            TrainingOptions options;
            PyTorchStateDict stateDict;
            try
            {
                stateDict = PyTorchStateDict.Read(file);
                options = OptionsFrom(parse, stateDict);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException) { return TrainerCli.Fail(e.Message); }
            using (stateDict)
            {
                var outDir = parse.GetValue(Out) ?? Path.Combine("models", Path.GetFileNameWithoutExtension(file));
                return Execute(stateDict, options, outDir, parse.GetValue(Force), dataGiven: parse.GetValue(Data) is not null);
            }
        });
        return command;
    }

    /// <summary>The preset's recipe with the state dict's sizes; every size an option or the preset states must agree with the file.</summary>
    static TrainingOptions OptionsFrom(ParseResult parse, PyTorchStateDict stateDict)
    {
        var preset = Presets.Get(parse.GetValue(Preset)!);
        var (d, k, p, c) = stateDict.Sizes();
        var file = stateDict.Path;
        Agree(parse.GetValue(HiddenSize), d, "--hidden-size", $"{file}: '{PyTorchStateDict.CodebookKey}' gives D = {d}");
        Agree(parse.GetValue(CodebookSize), k, "--codebook-size", $"{file}: '{PyTorchStateDict.CodebookKey}' gives K = {k}");
        Agree(parse.GetValue(PatchSize), p, "--patch-size", $"{file}: '{PyTorchStateDict.EncoderConvKey}' gives p = {p}");
        var channelsSource = $"{file}: '{PyTorchStateDict.EncoderConvKey}' gives C = {c}";
        Agree(parse.GetValue(Channels), c, "--channels", channelsSource);
        if (parse.GetValue(Channels) is null && preset.Model.Channels != c)
            throw new ArgumentException($"--preset {preset.Preset}: its images have {preset.Model.Channels} channel(s), the state dict's model {c} ({channelsSource}); give a preset of {c}-channel images, or --channels {c} with --data");
        int? size = parse.GetValue(ImageSize);
        var model = new ModelConfig
        {
            Arch = Arch.Patch, Quantizer = QuantizerKind.Vq, Channels = c, HiddenSize = d, CodebookSize = k, PatchSize = p,
            Height = size ?? preset.Model.Height, Width = size ?? preset.Model.Width,
        };
        try { model.Validate(); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{file}: {e.Message}{(size is null ? $" (the image size of --preset {preset.Preset}; give --image-size)" : "")}"); }
        var options = preset with
        {
            Model = model,
            // The codebook comes trained: a k-means start at the first epoch of `train --resume` would replace it.
            Codebook = preset.Codebook with { KmeansInit = false },
            DataPath = parse.GetValue(Data) ?? preset.DataPath,
            Device = parse.GetValue(DeviceName) ?? ComputeDevice.Auto,
            Threads = parse.GetValue(Threads),
            ImportedFrom = [ImportedFile.Of("state-dict", file)],
        };
        TrainOptionChecks.Validate(options);
        return options;
    }

    static void Agree(int? stated, int actual, string option, string source)
    {
        if (stated is { } s && s != actual) throw new ArgumentException($"{option} {s}: disagrees with the state dict ({source})");
    }

    static int Execute(PyTorchStateDict stateDict, TrainingOptions options, string outDir, bool force, bool dataGiven)
    {
        // Every key and shape is checked on a scratch model before anything is written.
        using (var scratch = new VqVaeModel(options.Model))
        {
            try { stateDict.LoadInto(scratch); }
            catch (InvalidDataException e) { return TrainerCli.Fail(e.Message); }
        }
        bool exists = Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any();
        bool hasData = Directory.Exists(options.DataPath);
        if (dataGiven && !hasData) return TrainerCli.Fail($"--data {options.DataPath}: no such data folder");
        try
        {
            if (exists && !force) return TrainerCli.Fail($"--out {outDir}: output folder exists and is not empty (use --force to replace a run this tool wrote)");
            var inputs = new List<(string, string)> { ("--state-dict", stateDict.Path) };
            if (hasData) inputs.Add(("--data", options.DataPath));
            OutputFolder.Check(outDir, force, TrainerCli.Tool, inputs);
            using var data = hasData ? CachedTrainingData.Open(options, CacheLocation.Root()) : null;
            if (data is not null) CacheReport.Print(data);
            var empty = new InMemoryImages([], 0, options.Model.Channels, options.Model.Height, options.Model.Width);
            var loop = new TrainingLoop(options, data?.Train ?? empty, data?.Validation ?? empty);
            stateDict.LoadInto(loop.Model);
            RunFolderUntilModel.Start(outDir, exists, TrainerCli.Tool);
            EpochMetrics? metrics;
            try { metrics = loop.SaveStart(outDir); }
            finally { RunFolderUntilModel.End(outDir, TrainingLoop.MetricsFile); }
            var m = options.Model;
            AnsiConsole.MarkupLineInterpolated($"imported {stateDict.Path} (C={m.Channels}, {m.Height}x{m.Width}, p={m.PatchSize}, D={m.HiddenSize}, K={m.CodebookSize}) → [green]{outDir}[/]");
            if (data is null)
            {
                AnsiConsole.WriteLine($"no data at {options.DataPath}: metrics.csv has no row (give --data to measure the imported weights)");
                return 0;
            }
            TrainingPictures.SaveReconstructions(Path.Combine(outDir, TrainingPictures.ReconstructionsFile), loop.Model, data.Validation, options.Seed);
            TrainingPictures.SaveCodebook(Path.Combine(outDir, TrainingPictures.CodebookFile), loop.Model);
            AnsiConsole.WriteLine($"validation MSE {metrics!.ValidationMse:F5}, PSNR {metrics.ValidationPsnr:F2} dB, {metrics.ActiveCodes} of {m.CodebookSize} codes in use on {data.Validation.Count} images of {options.DataPath}");
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException && !DiskFull.Is(e))
        {
            return TrainerCli.Fail(e.Message);
        }
    }
}
