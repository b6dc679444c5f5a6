using Detect.Engine.Cli;
using Detect.Engine.Web;

namespace Detect.Engine.Tests.History;

/// <summary>Runs the CLI in this process over the test tasks on a test's store; captures stdout and stderr.</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(TempStore env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var app = new CliApp(TempStore.Registry, "detect") { Out = stdout, Error = stderr, MainTask = nameof(DiamondTop) }.AddServeVerb();
        var code = await app.RunAsync([.. args, "--store", env.Store.Root, .. args[0] is "run" or "status" ? ["--cache-dir", env.Cache] : Array.Empty<string>()]);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
