using System.Net;
using CommandLine;
using Detect.Engine.Cli;
using Detect.Engine.Logging;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Web;

/// <summary>
/// <c>detect serve [--store URI] [--port 8080] [--bind 127.0.0.1] [--token T]</c>: the status site of a store until
/// Ctrl-C or SIGTERM. Loopback only unless a token is given: binding elsewhere without one is a usage error.
/// </summary>
public static class ServeCommand
{
    public sealed class Options
    {
        [Option("store", HelpText = "Store URI (default ./detect-data, or DETECT_STORE).")] public string? Store { get; set; }
        [Option("port", Default = 8080, HelpText = "TCP port (0: any free one).")] public int Port { get; set; } = 8080;
        [Option("bind", Default = "127.0.0.1", HelpText = "Address to listen on; other than loopback needs --token.")] public string Bind { get; set; } = "127.0.0.1";
        [Option("token", HelpText = "Secret every request must carry (?token=, a cookie, or Authorization: Bearer).")] public string? Token { get; set; }
        [Option('v', "verbose")] public bool Verbose { get; set; }
        [Option("log-format", Default = "text")] public string LogFormat { get; set; } = "text";
    }

    /// <summary>Adds the <c>serve</c> verb to a workflow program.</summary>
    public static CliApp AddServeVerb(this CliApp app) =>
        app.AddVerb("serve", "the status web page of a store: runs, live progress, failures [--store URI] [--port 8080] [--bind 127.0.0.1] [--token T]",
            args => RunAsync(app, args, CancellationToken.None));

    public static async Task<int> RunAsync(CliApp app, string[] args, CancellationToken ct, Action<Uri>? started = null)
    {
        Options? options = null;
        var errors = new List<string>();
        using (var parser = new Parser(s => { s.HelpWriter = null; s.CaseSensitive = true; }))
            parser.ParseArguments<Options>(args).WithParsed(o => options = o).WithNotParsed(e => errors.AddRange(e.Select(x => x.Tag.ToString())));
        if (options is null) return await UsageAsync(app, $"serve: {string.Join("; ", errors)}");
        if (!IPAddress.TryParse(options.Bind, out var bind)) return await UsageAsync(app, $"serve: --bind '{options.Bind}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).");
        if (options.Port is < 0 or > 65535) return await UsageAsync(app, $"serve: --port must be 0..65535, got {options.Port}.");
        if (!IPAddress.IsLoopback(bind) && string.IsNullOrEmpty(options.Token))
            return await UsageAsync(app, $"serve: --bind {bind} makes the pages reachable from other machines; give --token SECRET too " +
                                         "(then open http://<host>:<port>/?token=SECRET), or keep the default 127.0.0.1.");

        using var logging = DetectLogging.Create(options.Verbose, options.LogFormat);
        var logger = logging.CreateLogger("detect");
        using var store = StoreFactory.Open(options.Store ?? app.DefaultStoreUri);
        StatusServer server;
        try { server = await StatusServer.StartAsync(store, new ServeSettings(bind, options.Port, options.Token), logging); }
        catch (IOException e)
        {
            await app.Error.WriteLineAsync($"error: serve: cannot listen on {bind}:{options.Port}: {e.Message} (another program on that port? try --port).");
            return CliApp.Failure;
        }
        await using (server)
        {
            await app.Out.WriteLineAsync($"Serving the runs of {store.Uri} at {server.Address} (read-only; Ctrl-C stops)");
            started?.Invoke(server.Address);
            // Ctrl-C and SIGTERM (docker stop) reach the server's host, which then stops: so do we.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, server.Stopping);
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
        }
        logger.LogInformation("stopped serving {Store}", store.Uri);
        return CliApp.Success;
    }

    private static async Task<int> UsageAsync(CliApp app, string message)
    {
        await app.Error.WriteLineAsync("error: " + message);
        return CliApp.UsageError;
    }
}
