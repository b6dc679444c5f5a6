using System.Net;
using Detect.Engine.History;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Web;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Detect.Engine.Tests.Web;

/// <summary>
/// The status page in a real headless Chromium (Debian's chromium + chromium-driver, installed by the test setup)
/// while a 10,000-task run goes on in another process: counts move, the run finishes, the failed task's reason and
/// log are shown; `status` from a third process during the run. Saves a screenshot (.build/test-artifacts/).
/// </summary>
public sealed class BrowserTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task The_page_follows_a_10000_task_run_to_its_end_and_shows_why_a_task_failed()
    {
        string[] graph = [nameof(WideWithFailure), "--scope", _env.Scope, "--count", "10000", "--sleep-ms", "2", "--slow-seconds", "15"];
        using var run = HostProcess.Start(_env.Root, null, ["run", .. graph, "--workers", "3", "--store", _env.Store.Root, "--cache-dir", _env.Cache]);
        var history = new RunHistory(_env.Store);
        string? runId = null;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((runId = (await history.RunIdsAsync()).FirstOrDefault()) is null && !run.HasExited && DateTime.UtcNow < deadline) await Task.Delay(100);
        runId.Should().NotBeNull(run.Output);

        await using var server = await StatusServer.StartAsync(_env.Store, new ServeSettings(IPAddress.Loopback, 0, null));
        using var driver = Chromium();
        var wait = new WebDriverWait(driver, TimeSpan.FromMinutes(3)) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException)); // the page redraws parts as updates arrive

        driver.Navigate().GoToUrl(server.Address.ToString());
        wait.Until(d => d.FindElements(By.CssSelector($"a[href='/runs/{runId}']")).Count == 1);
        driver.FindElement(By.CssSelector($"a[href='/runs/{runId}']")).Click();
        wait.Until(d => Text(d, "#state") == "running" && Count(d, "done") > 0);

        // Counts move while the run goes on, as server-sent events arrive.
        var seen = new SortedSet<int> { Count(driver, "done") };
        var statusDuringRun = Task.Run(() => StatusFromAnotherProcessAsync(graph));
        wait.Until(d => { seen.Add(Count(d, "done")); return seen.Count >= 3; });
        seen.Max.Should().BeLessThan(10_002, "seen before the run finished");
        var (statusCode, status, statusEnded) = await statusDuringRun;
        statusCode.Should().Be(1, status);
        status.Should().MatchRegex(@"TracedStep\s+10000\s+\d+");

        // It reaches the end: every task finished (10,002 done, the failing one and the root it held back).
        wait.Until(d => Text(d, "#state") == "failed");
        wait.Until(d => Text(d, "#progress-percent") == "100");
        Count(driver, "done").Should().Be(10_002);
        Count(driver, "failed").Should().Be(1);
        Count(driver, "upstreamFailed").Should().Be(1);
        Text(driver, "#complete-text").Should().Be("finished: failed");
        var failure = driver.FindElement(By.CssSelector(".failed-task"));
        failure.FindElement(By.CssSelector(".error")).Text.Should().Be("InvalidDataException: reference table is empty: nothing to compare with");
        failure.Click();
        wait.Until(d => d.FindElement(By.CssSelector(".failed-task pre")).Displayed);
        failure.FindElement(By.CssSelector("pre")).Text.Should().Contain("reading the reference table for " + _env.Scope);
        driver.FindElements(By.CssSelector("#graph g.family")).Select(g => g.GetAttribute("data-family"))
            .Should().BeEquivalentTo([nameof(LoudFailure), nameof(SlowProgress), nameof(TracedJoin), nameof(TracedStep), nameof(WideWithFailure)]);

        // The slow task was running while `status` looked (it finished after status had ended): so status says so.
        var (events, _) = await history.ReadEventsAsync(runId!);
        var slowDone = events.Single(e => e.Kind == "task-succeeded" && e.Family == nameof(SlowProgress)).Time;
        if (slowDone > statusEnded)
            status.Should().MatchRegex($@"\[running \] SlowProgress_\S+  on {Environment.MachineName} \(pid {run.Id}\), run {runId}, since .* UTC, \d+/150 steps");

        var screenshot = Path.Combine(Artifacts(), "status-page.png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(screenshot);
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
        (await run.WaitAsync(TimeSpan.FromMinutes(2))).Should().Be(1, "the run did not complete: one task failed");
    }

    private async Task<(int Code, string Output, DateTimeOffset Ended)> StatusFromAnotherProcessAsync(string[] graph)
    {
        using var status = HostProcess.Start(_env.Root, null, ["status", .. graph, "--store", _env.Store.Root, "--cache-dir", _env.Cache]);
        var code = await status.WaitAsync(TimeSpan.FromMinutes(2));
        return (code, status.Stdout, DateTimeOffset.UtcNow);
    }

    /// <summary>An element's text read in one script call (an element found first may be redrawn before it is read).</summary>
    private static string? Text(IWebDriver driver, string selector) =>
        ((IJavaScriptExecutor)driver).ExecuteScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector) as string;

    private static int Count(IWebDriver driver, string name) =>
        Text(driver, "#count-" + name) is { } text ? int.Parse(text.Replace(",", "")) : 0;

    private static ChromeDriver Chromium()
    {
        const string driverPath = "/usr/bin/chromedriver", browser = "/usr/bin/chromium";
        File.Exists(driverPath).Should().BeTrue("scripts/setup.sh --test installs Debian's chromium-driver");
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true"); // Selenium must never try to download a browser or driver
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1200");
        return new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    private static string Artifacts()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Detect.sln"))) dir = dir.Parent;
        return Directory.CreateDirectory(Path.Combine(dir?.FullName ?? Path.GetTempPath(), ".build", "test-artifacts")).FullName;
    }
}
