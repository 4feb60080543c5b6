using VqVae.Cli;
return CliHost.Run(VqVaeMl.MlNet.Cli.ScoreCli.Tool,
    () => VqVaeMl.MlNet.Cli.ScoreCli.Run(args, Console.Out, Console.Error));
