using Detect.Engine.Cli;

namespace Detect.Engine.Tests.Export;

/// <summary>The CLI in process over the test tasks, with its output captured.</summary>
internal static class TestCli
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await new CliApp(TempStore.Registry) { Out = stdout, Error = stderr }.RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
