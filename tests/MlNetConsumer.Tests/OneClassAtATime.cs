// libtorch's random generator is one per process: seeded tests (the trained-model fixture, the prior
// sampler's) must not draw from it side by side, or their models differ from run to run.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
