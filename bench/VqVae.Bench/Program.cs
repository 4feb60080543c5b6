using VqVae.Bench;
using VqVae.Training;

// Before the first torch call: libtorch reads these native settings once, when it loads; the child
// processes the bench starts inherit them.
LibtorchEnvironment.Prepare();
return BenchCli.Run(args);
