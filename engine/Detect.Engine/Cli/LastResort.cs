namespace Detect.Engine.Cli;

/// <summary>
/// The last resort for an exception no check foresaw: one line that says what failed, what to do (run again with
/// -v, report it), and the stack trace only under -v. Also for exceptions on other threads, which would otherwise
/// abort the process (exit 134) with a trace.
/// </summary>
public static class LastResort
{
    public static async Task ReportAsync(TextWriter error, Exception e, bool verbose)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        await error.WriteLineAsync($"error: {root.Message.TrimEnd()} ({root.GetType().Name}: an unexpected error; " +
                                   (verbose ? "details below" : "run again with -v for the details") + ").");
        if (verbose) await error.WriteLineAsync(e.ToString());
    }

    /// <summary>-v / --verbose on the command line, or DETECT_VERBOSE set to true.</summary>
    public static bool Verbose(IEnumerable<string> args, Func<string, string?> environment) =>
        args.Any(a => a is "-v" or "--verbose") ||
        Parameters.ParameterParsing.TryParse(typeof(bool), environment(OptionSettings.VariableOf("verbose")) ?? "", out var v) && v is true;

    /// <summary>Makes an exception on any thread end the process with one line and exit code 1 instead of a crash dump.</summary>
    public static void InstallForProcess(string[] args)
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception)
                ReportAsync(Console.Error, exception, Verbose(args, Environment.GetEnvironmentVariable)).GetAwaiter().GetResult();
            Console.Error.Flush();
            Environment.Exit(CliApp.Failure);
        };
    }
}
