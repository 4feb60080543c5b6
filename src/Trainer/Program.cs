using VqVae;
using VqVae.Cli;
using VqVae.Trainer;
using VqVae.Training;

// Before the first torch call: libtorch reads these native settings once, when it loads.
LibtorchEnvironment.Prepare();
return CliHost.Run(TrainerCli.Tool, () => TrainerCli.Run(args));
