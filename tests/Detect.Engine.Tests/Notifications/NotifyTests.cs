using Detect.Engine.History;
using Detect.Engine.Notifications;
using Detect.Engine.Scheduling;
using Detect.Engine.Tests.History;
using Detect.Engine.Tests.Storage.S3;

namespace Detect.Engine.Tests.Notifications;

/// <summary>--notify: a JSON summary POSTed at the first failure and at the end, retried, never failing the run.</summary>
public sealed class NotifyTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_failing_run_posts_its_first_failure_and_its_summary_retrying_a_server_error()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failures: 1);

        var (code, _, _) = await CliRunner.RunAsync(_env, "run", nameof(FailureAndIndependent), "--scope", _env.Scope, "--notify", receiver.Url.ToString());

        code.Should().Be(1, "the run's outcome is its own, whatever the endpoint says");
        var bodies = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        receiver.Requests.Should().Be(3, "one 500 was retried");
        var failure = bodies.Single(b => b.GetProperty("event").GetString() == "first-failure");
        failure.GetProperty("task").GetString().Should().Be(new AlwaysFails { Scope = _env.Scope }.TaskId);
        failure.GetProperty("error").GetString().Should().Be("InvalidOperationException: boom");
        var finished = bodies.Single(b => b.GetProperty("event").GetString() == "run-finished");
        finished.GetProperty("outcome").GetString().Should().Be("failed");
        finished.GetProperty("root").GetString().Should().Be(new FailureAndIndependent { Scope = _env.Scope }.TaskId);
        finished.GetProperty("counts").GetProperty("ran").GetInt32().Should().Be(1);
        finished.GetProperty("counts").GetProperty("upstream-failed").GetInt32().Should().Be(2);
        finished.GetProperty("failed")[0].GetProperty("error").GetString().Should().Contain("boom");
        var runId = (await new RunHistory(_env.Store).RunIdsAsync()).Single();
        finished.GetProperty("run").GetString().Should().Be(runId);
        finished.GetProperty("history").GetString().Should().Be($".detect/runs/{runId}.json");
        receiver.Received.Should().OnlyContain(r => !r.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task An_endpoint_that_is_down_is_retried_logged_and_never_fails_the_run()
    {
        var dead = new Uri($"http://127.0.0.1:{TestPorts.Unused()}/hook/x");
        using var run = HostProcess.Start(_env.Root, null, "run", nameof(DiamondTop), "--scope", _env.Scope, "--notify", dead.ToString(),
            "--store", _env.Store.Root, "--cache-dir", _env.Cache);

        (await run.WaitAsync(TimeSpan.FromMinutes(2))).Should().Be(0, run.Output);
        run.Stderr.Should().Contain($"notify: could not send the run-finished notification to {dead.Scheme}://{dead.Authority}")
            .And.Contain("the run is not affected").And.NotContain("/hook/x", "logs name the host, not a path that may hold a token");
        run.Stdout.Should().Contain("Result: success");
    }

    [Fact]
    public async Task A_notifier_posts_nothing_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        Environment.SetEnvironmentVariable("DETECT_TEST_SECRET", "hunter2-not-to-be-sent");
        using var notifier = new WebhookNotifier([receiver.Url], "s3://bucket/prefix?token=abc", options: new WebhookOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(50) });
        var scheduler = new Scheduler(TempStore.Registry, _env.Resolver, new SchedulerOptions { StagingDirectory = _env.Staging, Observers = [notifier] });

        await scheduler.RunAsync(new Step { Scope = _env.Scope, Name = "hunter2-not-to-be-sent".Length.ToString() });

        var bodies = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var text = bodies.Single().GetRawText();
        text.Should().NotContain("hunter2").And.Contain("token=***").And.NotContain("abc");
    }

    [Theory]
    [InlineData("ftp://example.org/x", "is not an http:// or https:// URL")]
    [InlineData("https://user:password@example.org/x", "must not contain user:password@")]
    [InlineData("not a url", "is not an http:// or https:// URL")]
    public async Task A_bad_notify_url_is_a_usage_error_naming_it(string url, string message)
    {
        var (code, _, err) = await CliRunner.RunAsync(_env, "run", nameof(DiamondTop), "--scope", _env.Scope, "--notify", url);
        code.Should().Be(2);
        err.Should().Contain(message).And.NotContain("password@example.org", "the URL given is not echoed with its password");
        (await new RunHistory(_env.Store).RunIdsAsync()).Should().BeEmpty("nothing ran");
    }
}
