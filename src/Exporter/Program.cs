using VqVae.Exporter.Cli;

return ExportCli.Run(args, Console.Out, Console.Error);
