using System.Diagnostics;
using System.Net;
using Detect.Engine.Cli;
using Detect.Engine.History;
using Detect.Engine.Storage;
using Detect.Engine.Web;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Detect.Bench;

/// <summary>
/// The status page on a big run (issue 10): a finished N-task run — API answer from the store (first) and from
/// the server's cache, page load to first full render in headless Chromium — and a live N-task run in another
/// process: how far behind the run's last event the page is when it shows it, and how long a redraw takes.
/// </summary>
internal static class PageBenchmark
{
    public static async Task<int> RunAsync(string workDir, int tasks)
    {
        Directory.CreateDirectory(workDir);
        var finished = Path.Combine(workDir, $"finished-{tasks}");
        using var store = new LocalObjectStore(finished);
        var history = new RunHistory(store);
        if ((await history.RunIdsAsync()).Count == 0)
        {
            Console.Error.WriteLine($"making a finished {tasks:N0}-task run in {finished} ...");
            var app = new CliApp(EngineBenchmark.Registry, "bench") { Out = TextWriter.Null };
            await app.RunAsync(["run", nameof(BenchGraph), "--tasks", tasks.ToString(), "--store", finished]);
        }
        var runId = (await history.RunIdsAsync())[0];
        await using var server = await StatusServer.StartAsync(store, new ServeSettings(IPAddress.Loopback, 0, null));
        using var http = new HttpClient { BaseAddress = server.Address };

        var clock = Stopwatch.StartNew();
        var json = await http.GetStringAsync($"api/runs/{runId}");
        var apiCold = clock.Elapsed;
        clock.Restart();
        await http.GetStringAsync($"api/runs/{runId}");
        var apiWarm = clock.Elapsed;

        using var driver = Chromium();
        var wait = new WebDriverWait(driver, TimeSpan.FromMinutes(5)) { PollingInterval = TimeSpan.FromMilliseconds(20) };
        double PageLoad()
        {
            driver.Navigate().GoToUrl(new Uri(server.Address, $"runs/{runId}").ToString());
            wait.Until(d => Script(d, "return window.__detectRendered || null") is not null);
            return Convert.ToDouble(Script(driver, "return window.__detectRendered"));
        }
        var firstLoad = PageLoad();
        var secondLoad = PageLoad();

        // A live run in another process, watched from its start.
        var live = Path.Combine(workDir, $"live-{DateTime.UtcNow:yyyyMMddHHmmss}");
        using var child = Process.Start(new ProcessStartInfo("dotnet", [typeof(PageBenchmark).Assembly.Location, "host", "run", nameof(BenchGraph),
            "--tasks", tasks.ToString(), "--store", live, "--workers", "1"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _ = child.StandardOutput.ReadToEndAsync();
        _ = child.StandardError.ReadToEndAsync();
        using var liveStore = new LocalObjectStore(live);
        var liveHistory = new RunHistory(liveStore);
        string? liveId = null;
        while ((liveId = await liveHistory.RunIdsAsync() is [var first, ..] ? first : null) is null && !child.HasExited) await Task.Delay(20);
        await using var liveServer = await StatusServer.StartAsync(liveStore, new ServeSettings(IPAddress.Loopback, 0, null));
        driver.Navigate().GoToUrl(new Uri(liveServer.Address, $"runs/{liveId}").ToString());
        wait.Until(d => Script(d, "return document.getElementById('state').textContent") as string is "succeeded" or "failed");
        await child.WaitForExitAsync();
        var lags = Numbers(Script(driver, "return window.__detectLagMs"));
        var renders = Numbers(Script(driver, "return window.__detectRenderMs"));
        // What opening a page late on a run that goes on costs: its whole event log replayed.
        clock.Restart();
        var (events, _) = await liveHistory.ReadEventsAsync(liveId!);
        var replay = new RunReplay((await liveHistory.ReadRecordAsync(liveId!))!);
        foreach (var e in events) replay.Apply(e);
        var view = RunViews.Of(replay, DateTimeOffset.UtcNow);
        var replayTime = clock.Elapsed;

        Console.WriteLine($"| run | {tasks:N0} tasks ({json.Length / 1024.0:0.0} KiB of JSON for the page) |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| API answer, first (a finished run: from its final record) | {apiCold.TotalMilliseconds:N0} ms |");
        Console.WriteLine($"| API answer, cached | {apiWarm.TotalMilliseconds:N0} ms |");
        Console.WriteLine($"| page load to full render, headless Chromium (first / again) | {firstLoad:N0} ms / {secondLoad:N0} ms |");
        Console.WriteLine($"| live run: page behind the run's last event, median / p95 / max ({lags.Count} updates) | " +
                          $"{Percentile(lags, 50):N0} / {Percentile(lags, 95):N0} / {lags.DefaultIfEmpty().Max():N0} ms |");
        Console.WriteLine($"| live run: one redraw, median / max | {Percentile(renders, 50):0.0} / {renders.DefaultIfEmpty().Max():0.0} ms |");
        Console.WriteLine($"| a run's whole event log replayed (a page opened late on a running run): {events.Count:N0} events | {replayTime.TotalMilliseconds:N0} ms |");
        if (view.Totals["done"] != tasks + 1) throw new InvalidOperationException($"the replay counts {view.Totals["done"]} done, not {tasks + 1}");
        Directory.Delete(live, recursive: true);
        return 0;
    }

    private static object? Script(IWebDriver driver, string script) => ((IJavaScriptExecutor)driver).ExecuteScript(script);

    private static List<double> Numbers(object? value) =>
        value is IEnumerable<object> items ? items.Select(Convert.ToDouble).Order().ToList() : [];

    private static double Percentile(List<double> sorted, int p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

    private static ChromeDriver Chromium()
    {
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1200");
        return new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }
}
