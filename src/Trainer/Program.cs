using VqVae.Trainer;
using VqVae.Training;

// Before the first torch call: libgomp reads its wait policy once, when libtorch loads.
OpenMpEnvironment.PreferPassiveWait();
return TrainerCli.Run(args);
