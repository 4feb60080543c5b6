using VqVae.Bench;
using VqVae.Training;

// Before the first torch call: libtorch reads these native settings once, when it loads; the child
// processes the bench starts inherit them.
LibtorchEnvironment.Prepare();
// The training comparison runs in a child of the bench (see TrainingVsPost): its own native settings.
return args is [TrainingVsPost.ChildCommand, .. var rest] ? TrainingVsPost.ChildMain(rest) : BenchCli.Run(args);
