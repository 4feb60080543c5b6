using VqVae.Cli;
using VqVae.Exporter.Cli;
using VqVae.Training;

// Before the first torch call: libtorch reads these native settings once, when it loads.
LibtorchEnvironment.Prepare();
return CliHost.Run(VqVae.Exporter.VqVaeOnnxExporter.Tool, () => ExportCli.Run(args, Console.Out, Console.Error, ValidationImages.ForCheckpoint));
