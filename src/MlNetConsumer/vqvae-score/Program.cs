return VqVae.CliHost.Run(VqVae.MlNetConsumer.Cli.ScoreCli.Tool,
    () => VqVae.MlNetConsumer.Cli.ScoreCli.Run(args, Console.Out, Console.Error));
