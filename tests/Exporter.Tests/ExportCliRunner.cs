using VqVae.Exporter.Cli;

namespace VqVae.Exporter.Tests;

/// <summary>vqvae-export run through its entry point in this process, its output and errors caught.</summary>
static class ExportCliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ExportCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
