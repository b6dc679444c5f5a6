using Detect.Engine.Cli;
using Detect.Engine.Scheduling;
using Detect.Engine.Web;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>
/// The test assembly doubles as a small workflow program (`dotnet Detect.Engine.Tests.dll run TracedJoin ...`),
/// so tests can run real separate processes over the test tasks: concurrent runs, a SIGKILLed worker.
/// </summary>
public static class TestHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupts = new InterruptSignals(); // as the real program does: Ctrl-C and SIGTERM stop a run
        return await new CliApp(new TaskRegistry(typeof(TestHostProgram).Assembly), "engine-test-host").AddServeVerb().RunAsync(args, interrupts.Token);
    }
}
