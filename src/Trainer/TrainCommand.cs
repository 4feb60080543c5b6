using System.CommandLine;
using VqVae.Adversarial;
using VqVae.Checkpoints;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>`train`: a preset recipe, every hyperparameter overridable.</summary>
public static class TrainCommand
{
    static readonly Option<string> Preset = new("--preset") { Description = "mnist-plus or pokemon-plus (codebook kept in use), or the reference post's own recipes mnist and pokemon (their codebooks collapse in short runs)", DefaultValueFactory = _ => "mnist-plus" };
    static readonly Option<string?> Data = new("--data") { Description = "A folder of MNIST IDX files (plain or .gz) or of PNG/JPEG/GIF/BMP images" };
    static readonly Option<int?> Epochs = new("--epochs") { Description = "Epochs to train (preset: 10 MNIST, 100 Pokémon)" };
    static readonly Option<string?> Out = new("--out") { Description = "Output folder (default models/<preset>)" };
    static readonly Option<bool> Force = new("--force") { Description = "Replace an existing output folder" };
    static readonly Option<bool> Resume = new("--resume") { Description = "Continue the run in --out from its last checkpoint (its own settings; --epochs may extend it)" };
    static readonly Option<int?> HiddenSize = new("--hidden-size") { Description = "D, the width of each code vector" };
    static readonly Option<int?> CodebookSize = new("--codebook-size") { Description = "K, the number of codes" };
    static readonly Option<int?> PatchSize = new("--patch-size") { Description = "p, the pixels one code covers per side" };
    static readonly Option<int?> BatchSize = new("--batch-size");
    static readonly Option<double?> Lr = new("--lr") { Description = "Adam learning rate" };
    static readonly Option<double?> Beta = new("--beta") { Description = "Weight of the commitment loss" };
    static readonly Option<int?> Seed = new("--seed");
    static readonly Option<GradientEstimator?> Ste = EnumOption.Create<GradientEstimator>("--ste",
        "How the decoder's gradient crosses the code choice (vq, rvq): straight-through is z_e + sg(z_q − z_e); straight-through-to-codebook is z_q + (z_e − sg(z_e)), which also trains the chosen codes through the decoder; rotation-trick rotates the decoder's gradient from z_q's direction to z_e's and scales it by ‖z_q‖/‖z_e‖");
    static readonly Option<QuantizerKind?> Quantizer = EnumOption.Create<QuantizerKind>("--quantizer",
        "vq: nearest of K learnt codes; fsq: finite scalar quantization on a fixed grid (--levels); rvq: residual VQ, --depth codebooks of K codes each quantizing what the previous left");
    static readonly Option<string?> Levels = new("--levels") { Description = "fsq: levels per projected channel, e.g. 8,5,5,5 (the codebook size is their product)" };
    static readonly Option<int?> Depth = new("--depth") { Description = "rvq: how many codebooks quantize each position in turn (codes per position)" };
    static readonly Option<ComputeDevice?> DeviceName = EnumOption.Create<ComputeDevice>("--device", "Where to train; auto picks CUDA when libtorch sees it");
    static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (0: one per core)" };
    static readonly Option<Arch?> Arch = EnumOption.Create<Arch>("--arch", "patch: the reference post's patch model; conv: the VQ-VAE paper's convolutional model");
    static readonly Option<int?> ImageSize = new("--image-size") { Description = "Resize images of a folder to this square size" };
    static readonly Option<int?> Channels = new("--channels") { Description = "1 (grayscale) or 3 (RGB)" };
    static readonly Option<CodebookUpdate?> CodebookUpdate = EnumOption.Create<CodebookUpdate>("--codebook-update", "What moves the codes: the VQ loss's gradient or exponential moving averages");
    static readonly Option<bool?> KmeansInit = new("--kmeans-init") { Description = "Initialise the codebook by k-means on the first batches' encoder outputs" };
    static readonly Option<double?> DeadCodeThreshold = new("--dead-code-threshold") { Description = "Re-seed codes whose EMA usage per batch falls below this" };
    static readonly Option<double?> EmaDecay = new("--ema-decay") { Description = "Decay of the EMA codebook statistics and of the usage that finds dead codes (default 0.99)" };
    static readonly Option<DecoderPath?> DecoderPathName = EnumOption.Create<DecoderPath>("--decoder-path",
        "How training evaluates the patch decoder: table computes it once per code and gathers per position (the same values and gradients); direct at every position; auto takes the table for the patch model with vq or fsq when K is at most a quarter of a batch's positions");
    static readonly Option<int> MaxSteps = new("--max-steps-per-epoch") { Description = "Cut each epoch short (smoke runs)" };
    static readonly Option<string?> CacheDir = CacheCommand.CacheDirOption();
    static readonly Option<string?> Classifier = ClassifierFolder.Option("each epoch's validation");
    static readonly Option<bool> Adversarial = new("--adversarial") { Description = "Add VQGAN's adversarial loss: a PatchGAN discriminator, hinge loss, adaptive weight at the decoder's last layer" };
    static readonly Option<int?> DiscStart = new("--disc-start") { Description = $"With --adversarial: the training step from which it trains (default {new AdversarialTraining().DiscStart})" };
    static readonly Option<double?> DiscWeight = new("--disc-weight") { Description = $"With --adversarial: w, the factor on its adaptive weight (default {new AdversarialTraining().DiscWeight})" };
    static readonly Option<int?> DiscWarmup = new("--disc-warmup") { Description = "With --adversarial: steps from --disc-start in which the discriminator trains alone before its term enters the model's loss (default 0: both from --disc-start)" };

    public static Command Create()
    {
        Preset.AcceptOnlyFromAmong(Presets.Names);
        var command = new Command("train", "Train a VQ-VAE; writes best/ and last/ checkpoints, metrics.csv and pictures.")
        {
            Preset, Data, Epochs, Out, Force, Resume, HiddenSize, CodebookSize, PatchSize, BatchSize, Lr, Beta, Seed, Ste,
            Quantizer, Levels, Depth, DeviceName, Threads, Arch, ImageSize, Channels, CodebookUpdate, KmeansInit, DeadCodeThreshold, EmaDecay, DecoderPathName, MaxSteps, CacheDir,
            Classifier, Adversarial, DiscStart, DiscWeight, DiscWarmup,
        };
        command.SetAction(parse =>
        {
            TrainingOptions options;
            try { options = OptionsFrom(parse); }
            catch (Exception e) when (e is ArgumentException or InvalidDataException) { return TrainerCli.Fail(e.Message); }
            WarnOfTwoLevels(options.Model);
            var outDir = parse.GetValue(Out) ?? Path.Combine("models", options.Preset);
            return TrainRun.Execute(options, outDir, parse.GetValue(Force), parse.GetValue(Resume), parse.GetValue(Epochs),
                parse.GetValue(CacheDir));
        });
        return command;
    }

    /// <summary>
    /// A level count of 2 is allowed but trains poorly: its half-step shift, atanh(0.999) ≈ 3.8, starts the channel
    /// where the bound is flat (4,4,4,2 used 57 % of its codes on MNIST, docs/QUALITY.md "Which FSQ levels").
    /// </summary>
    static void WarnOfTwoLevels(ModelConfig model)
    {
        if (model.Levels?.Contains(2) == true)
            Console.Error.WriteLine($"warning: --levels {model.Levels}: a level of 2 starts its channel where the bound is flat and leaves codes unused; counts of 3 or more train better");
    }

    static TrainingOptions OptionsFrom(ParseResult parse)
    {
        var preset = Presets.Get(parse.GetValue(Preset)!);
        var m = preset.Model;
        int? size = parse.GetValue(ImageSize);
        var model = m with
        {
            Arch = parse.GetValue(Arch) ?? m.Arch,
            HiddenSize = parse.GetValue(HiddenSize) ?? m.HiddenSize,
            CodebookSize = parse.GetValue(CodebookSize) ?? m.CodebookSize,
            PatchSize = parse.GetValue(PatchSize) ?? m.PatchSize,
            Channels = parse.GetValue(Channels) ?? m.Channels,
            Height = size ?? m.Height,
            Width = size ?? m.Width,
        };
        model = QuantizerShape(parse, model);
        model.Validate();
        var c = preset.Codebook;
        var codebook = c with
        {
            Beta = parse.GetValue(Beta) ?? c.Beta,
            Estimator = parse.GetValue(Ste) ?? c.Estimator,
            Update = parse.GetValue(CodebookUpdate) ?? c.Update,
            KmeansInit = parse.GetValue(KmeansInit) ?? c.KmeansInit,
            DeadCodeThreshold = parse.GetValue(DeadCodeThreshold) ?? c.DeadCodeThreshold,
            EmaDecay = parse.GetValue(EmaDecay) ?? c.EmaDecay,
        };
        codebook.Validate();
        codebook = QuantizerTraining(parse, model, codebook);
        var options = preset with
        {
            Model = model,
            Codebook = codebook,
            DataPath = parse.GetValue(Data) ?? preset.DataPath,
            Epochs = parse.GetValue(Epochs) ?? preset.Epochs,
            BatchSize = parse.GetValue(BatchSize) ?? preset.BatchSize,
            LearningRate = parse.GetValue(Lr) ?? preset.LearningRate,
            Seed = parse.GetValue(Seed) ?? preset.Seed,
            Device = parse.GetValue(DeviceName) ?? ComputeDevice.Auto,
            Threads = parse.GetValue(Threads),
            MaxStepsPerEpoch = parse.GetValue(MaxSteps),
            ClassifierFolder = ClassifierFolder.For(parse.GetValue(Classifier), model),
            Adversarial = AdversarialFrom(parse, model),
            DecoderPath = parse.GetValue(DecoderPathName) ?? VqVaeMl.Common.DecoderPath.Auto,
        };
        TrainOptionChecks.Validate(options);
        return options;
    }

    /// <summary>--adversarial and its settings; --disc-start, --disc-weight or --disc-warmup without it is refused.</summary>
    static AdversarialTraining? AdversarialFrom(ParseResult parse, ModelConfig model)
    {
        if (!parse.GetValue(Adversarial))
        {
            foreach (var option in new Option[] { DiscStart, DiscWeight, DiscWarmup })
                if (parse.GetResult(option) is { Implicit: false }) throw new ArgumentException($"{option.Name}: only with --adversarial");
            return null;
        }
        var defaults = new AdversarialTraining();
        var settings = new AdversarialTraining
        {
            DiscStart = parse.GetValue(DiscStart) ?? defaults.DiscStart,
            DiscWeight = parse.GetValue(DiscWeight) ?? defaults.DiscWeight,
            DiscWarmup = parse.GetValue(DiscWarmup) ?? defaults.DiscWarmup,
        };
        settings.Validate();
        if (Math.Min(model.Height, model.Width) < PatchDiscriminator.MinImageSize)
            throw new ArgumentException($"--adversarial: the discriminator needs images of at least {PatchDiscriminator.MinImageSize}×{PatchDiscriminator.MinImageSize}, not {model.Height}×{model.Width}");
        return settings;
    }

    /// <summary>--quantizer, --levels and --depth, each refused where the chosen quantizer has no use for it.</summary>
    static ModelConfig QuantizerShape(ParseResult parse, ModelConfig model)
    {
        var kind = parse.GetValue(Quantizer) ?? model.Quantizer;
        return QuantizerDescriptor.For(kind).FromOptions(model, new QuantizerOptions(parse.GetValue(Levels), parse.GetValue(Depth), parse.GetValue(CodebookSize)));
    }

    /// <summary>
    /// A quantizer without a learnt codebook (FSQ) has nothing to move or restart: its codebook options are
    /// refused when given and cleared when a preset brought them, so config.json says what the run did.
    /// </summary>
    static CodebookTraining QuantizerTraining(ParseResult parse, ModelConfig model, CodebookTraining codebook)
    {
        if (model.QuantizerDescriptor.HasTrainableCodebook) return codebook;
        foreach (var option in new Option[] { Ste, CodebookUpdate, KmeansInit, DeadCodeThreshold, EmaDecay, Beta })
            if (parse.GetResult(option) is { Implicit: false })
                throw new ArgumentException($"{option.Name}: --quantizer {KebabCase.Name(model.Quantizer)} has no codebook to train (it rounds with its own straight-through gradient)");
        return codebook with { Update = VqVaeMl.Common.CodebookUpdate.Loss, KmeansInit = false, DeadCodeThreshold = 0 };
    }
}
