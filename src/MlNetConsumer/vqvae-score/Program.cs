return VqVae.MlNetConsumer.Cli.ScoreCli.Run(args, Console.Out, Console.Error);
