using System.CommandLine;
using Spectre.Console;
using VqVae.Classifier;
using VqVae.Data;

namespace VqVae.Trainer;

/// <summary>
/// `classifier train` fits a small CNN on the real MNIST training digits (its validation accuracy
/// printed and saved); `classifier judge` reports the share of a folder of generated digits it reads
/// as the class they were asked for.
/// </summary>
public static class ClassifierCommand
{
    public const string AccuracyFile = "accuracy.txt";

    /// <summary>The name in a classifier folder's manifest: --force replaces only what `classifier train` wrote.</summary>
    public const string TrainTool = TrainerCli.Tool + " classifier train";

    public static Command Create()
    {
        var command = new Command("classifier", "A digit classifier trained on real MNIST digits, to judge class-conditional samples.");
        command.Subcommands.Add(TrainCommand());
        command.Subcommands.Add(JudgeCommand());
        return command;
    }

    static Command TrainCommand()
    {
        var data = new Option<string>("--data") { Description = "Folder of MNIST IDX files", DefaultValueFactory = _ => "data/mnist" };
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "models/digit-classifier" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: one per core)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder" };
        var command = new Command("train", "Train the classifier; writes classifier.bin and accuracy.txt.") { data, output, epochs, threads, force };
        command.SetAction(parse =>
        {
            if (parse.GetValue(epochs) < 1) return TrainerCli.Fail("--epochs must be at least 1");
            try
            {
                OptionLimits.Threads("--threads", parse.GetValue(threads));
                if (parse.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(parse.GetValue(threads));
                var dir = parse.GetValue(data)!;
                var outDir = OutputFolder.Check(parse.GetValue(output)!, parse.GetValue(force), TrainTool, [("--data", dir)]);
                var (train, validation) = MnistDataset.Load(dir);
                var (trainLabels, validationLabels) = MnistDataset.LoadLabels(dir);
                using var model = new DigitClassifier();
                var accuracies = ClassifierTraining.Train(model, train, trainLabels, validation, validationLabels, parse.GetValue(epochs), seed: 1,
                    (epoch, accuracy) => AnsiConsole.MarkupLineInterpolated($"epoch {epoch}: validation accuracy {accuracy:P2} ({validation.Count} digits)"));
                OutputFolder.Write(outDir, TrainTool, temp =>
                {
                    model.save(Path.Combine(temp, ClassifierTraining.WeightsFile));
                    File.WriteAllText(Path.Combine(temp, AccuracyFile), $"validation accuracy {accuracies[^1]:F4} on {validation.Count} digits\n");
                });
                AnsiConsole.MarkupLineInterpolated($"→ [green]{outDir}[/]");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or FileNotFoundException or OptionOutOfRangeException or OutputRefusedException)
            {
                return TrainerCli.Fail(e.Message);
            }
        });
        return command;
    }

    static Command JudgeCommand()
    {
        var model = new Option<string>("--model") { Description = "Folder written by `classifier train`", DefaultValueFactory = _ => "models/digit-classifier" };
        var images = new Option<string>("--images") { Description = "Folder of 28×28 digit images (e.g. the samples/ of `vqvae-score sample`)", Required = true };
        var label = new Option<int>("--label") { Description = "The class the images were asked for", Required = true };
        var command = new Command("judge", "Print the share of a folder's images the classifier reads as --label.") { model, images, label };
        command.SetAction(parse =>
        {
            try
            {
                var weights = Path.Combine(parse.GetValue(model)!, ClassifierTraining.WeightsFile);
                if (!File.Exists(weights)) return TrainerCli.Fail($"{weights}: missing (train one with `classifier train`)");
                int wanted = parse.GetValue(label);
                if (wanted is < 0 or >= DigitClassifier.Classes) return TrainerCli.Fail($"--label {wanted}: digits are 0..9");
                using var classifier = new DigitClassifier();
                classifier.load(weights);
                var set = ImageFolderReader.Read(parse.GetValue(images)!, 1, DigitClassifier.Size, DigitClassifier.Size);
                var predicted = ClassifierTraining.Predict(classifier, set);
                int hits = predicted.Count(p => p == wanted);
                var counts = string.Join(" ", Enumerable.Range(0, 10).Select(d => $"{d}:{predicted.Count(p => p == d)}"));
                Console.WriteLine($"{hits} of {set.Count} images read as {wanted} ({(double)hits / set.Count:P1}); all classes {counts}");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or FileNotFoundException)
            {
                return TrainerCli.Fail(e.Message);
            }
        });
        return command;
    }
}
