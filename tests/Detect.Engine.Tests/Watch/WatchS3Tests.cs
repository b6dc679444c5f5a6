using System.Text;
using CsvHelper;
using Detect.Engine.Cli;
using Detect.Engine.History;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Engine.Tests.Cli;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Watch;

namespace Detect.Engine.Tests.Watch;

/// <summary>
/// `detect watch` against the real Swift S3 server: triggers in a bucket prefix, tasks in a store beside it.
/// In-process `--once` runs here; separate watcher processes in <see cref="WatchProcessTests"/>.
/// </summary>
[Collection(SwiftCollection.Name)]
public sealed class WatchS3Tests(SwiftServerFixture server) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-watch-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];
    private readonly string _root = $"s3://{SwiftServerFixture.Bucket}/t-{Guid.NewGuid():N}";

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Traces => Path.Combine(_scratch, "traces");

    [Fact]
    public async Task Three_triggers_with_good_and_bad_rows_each_end_as_a_success_and_a_failure_file_and_every_run_is_in_the_history()
    {
        using var incoming = S3ObjectStore.Open(_root + "/incoming", server.FastSettings);
        await PutAsync(incoming, "a.raw.csv", "name,count\nalpha,1\n\"beta, quoted\",2\ngamma,many\n");
        await PutAsync(incoming, "b.raw.csv", "Name,FAIL\ndelta,false\nboom,true\n");
        await PutAsync(incoming, "c.raw.csv", "name\nepsilon\n");
        await PutAsync(incoming, "notes.txt", "not a trigger");

        var (code, output, errors) = await WatchAsync("--once", "--max-concurrent-runs", "2", "--workers", "2");

        code.Should().Be(CliApp.Failure, "two rows failed:\n" + output + errors);
        output.Should().Contain("3 trigger(s) processed, 4 row(s) succeeded, 2 failed");
        var keys = await incoming.ListAsync("");
        keys.Where(k => !k.StartsWith(".detect-watch/", StringComparison.Ordinal)).Select(Shape).Should().BeEquivalentTo(
            ["a.raw.success-<ts>.csv", "a.raw.failure-<ts>.csv", "b.raw.success-<ts>.csv", "b.raw.failure-<ts>.csv",
             "c.raw.success-<ts>.csv", "c.raw.failure-<ts>.csv", "notes.txt"], "the triggers were replaced by their results; other files stay");
        (await incoming.ListAsync(TriggerClaims.Prefix)).Should().BeEmpty("every claim was released");

        var aSuccess = await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("a.raw.success-")));
        aSuccess[0].Should().Equal("name", "count", "detect_task", "detect_run");
        aSuccess.Skip(1).Select(r => string.Join("|", r[..2])).Should().Equal("alpha|1", "beta, quoted|2");
        var aFailure = await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("a.raw.failure-")));
        aFailure[0].Should().Equal("name", "count", "detect_run", "reason");
        aFailure.Should().HaveCount(2);
        aFailure[1][..3].Should().Equal("gamma", "many", "");
        aFailure[1][3].Should().Contain("bad parameter value").And.Contain("--count").And.Contain("many");
        var bFailure = await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("b.raw.failure-")));
        bFailure.Skip(1).Should().ContainSingle().Which[..2].Should().Equal("boom", "true");
        bFailure[1][3].Should().Contain("WatchStep_").And.Contain("planned failure of boom");
        bFailure[1][2].Should().NotBeEmpty("the failed row's run is in the history");

        Trace.Count(Traces).Should().Equal(new Dictionary<string, int>
        {
            ["alpha"] = 1, ["beta, quoted"] = 1, ["delta"] = 1, ["boom"] = 1, ["epsilon"] = 1,
        }, "every good row's task ran once; the bad value never reached a task");

        // Every run is in the history with its trigger and row; the success files name those runs.
        using var store = S3ObjectStore.Open(_root + "/store", server.FastSettings);
        var runs = await new RunHistory(store).ListAsync();
        runs.Should().HaveCount(5);
        runs.Select(r => r.Trigger).Should().BeEquivalentTo(new[]
        {
            new RunTrigger(incoming.UriOf("a.raw.csv"), 1), new RunTrigger(incoming.UriOf("a.raw.csv"), 2),
            new RunTrigger(incoming.UriOf("b.raw.csv"), 1), new RunTrigger(incoming.UriOf("b.raw.csv"), 2),
            new RunTrigger(incoming.UriOf("c.raw.csv"), 1),
        });
        var alphaRun = runs.Single(r => r.Id == aSuccess[1][3]);
        alphaRun.Trigger.Should().Be(new RunTrigger(incoming.UriOf("a.raw.csv"), 1));
        alphaRun.Outcome.Should().Be(RunRecord.Succeeded);
        alphaRun.RootTask.Should().Be(aSuccess[1][2]);
        runs.Single(r => r.Id == bFailure[1][2]).Outcome.Should().Be(RunRecord.Failed);

        // `runs` shows which trigger started each run.
        var (_, listing, _) = await CliAsync("runs", "--store", _root + "/store");
        listing.Should().Contain($"trigger {incoming.UriOf("a.raw.csv")} row 2");
    }

    [Fact]
    public async Task An_unknown_column_an_empty_file_and_a_file_that_is_not_CSV_go_whole_to_failure_with_the_reason()
    {
        using var incoming = S3ObjectStore.Open(_root + "/incoming", server.FastSettings);
        await PutAsync(incoming, "colour.raw.csv", "name,colour\nred,1\nblue,2\n");
        await PutAsync(incoming, "empty.raw.csv", "");
        await PutAsync(incoming, "sheet.raw.csv", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0x06, 0, 0xFF, 0xFE]); // an .xlsx (zip) saved under .csv
        await PutAsync(incoming, "header-only.raw.csv", "name,count\n");

        var (code, output, errors) = await WatchAsync("--once");

        code.Should().Be(CliApp.Failure, output + errors);
        var keys = await incoming.ListAsync("");
        var colour = await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("colour.raw.failure-")));
        colour[0].Should().Equal("name", "colour", "detect_run", "reason");
        colour.Skip(1).Select(r => r[0]).Should().Equal("red", "blue");
        colour[1][3].Should().Contain("unknown column 'colour'").And.Contain("WatchStep has no parameter --colour")
            .And.Contain("count, fail, name, scope, sleep_ms, trace_dir");
        (await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("colour.raw.success-")))).Should().HaveCount(1, "only its header");

        var empty = await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("empty.raw.failure-")));
        empty.Select(r => string.Join("|", r)).Should().Equal("detect_run|reason",
            "|it is empty: the first line must name the task's parameters (e.g. roi,start_date), each further line is one run.");
        var sheet = await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("sheet.raw.failure-")));
        sheet[1][1].Should().Contain("not a CSV text file").And.Contain("Save it as CSV (UTF-8)");

        // A header without rows is no failure: no runs, two files with headers only.
        (await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("header-only.raw.failure-")))).Should().HaveCount(1);
        (await ReadCsvAsync(incoming, keys.Single(k => k.StartsWith("header-only.raw.success-")))).Should().HaveCount(1);

        Trace.Count(Traces).Should().BeEmpty("no row of a refused file runs");
        using var store = S3ObjectStore.Open(_root + "/store", server.FastSettings);
        (await new RunHistory(store).ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Once_with_nothing_to_do_exits_0_and_bad_options_are_usage_errors()
    {
        var (code, output, errors) = await WatchAsync("--once");
        code.Should().Be(CliApp.Success, output + errors);
        output.Should().Contain("0 trigger(s) processed");

        (await CliAsync("watch", "--task", nameof(WatchStep))).Err.Should().Contain("watch needs the prefix to watch first");
        var (noTask, _, noTaskErr) = await CliAsync("watch", _root + "/incoming");
        noTask.Should().Be(CliApp.UsageError);
        noTaskErr.Should().Contain("watch needs --task <Task>");
        var (badInterval, _, intervalErr) = await CliAsync("watch", _root + "/incoming", "--task", nameof(WatchStep), "--interval", "soon");
        badInterval.Should().Be(CliApp.UsageError);
        intervalErr.Should().Contain("--interval expects a positive duration such as 30s, 15m or 1h, got 'soon'");
        (await CliAsync("watch", _root + "/incoming", "--task", nameof(WatchStep), "--max-concurrent-runs", "0")).Err
            .Should().Contain("--max-concurrent-runs must be at least 1, got 0");
        (await CliAsync("watch", _root + "/incoming", "--task", "NoSuchTask")).Err.Should().Contain("Unknown task 'NoSuchTask'");
        (await CliAsync("watch", _root + "/incoming", "--task", nameof(WatchStep), "--count", "x")).Code.Should().Be(CliApp.UsageError);
    }

    [Theory]
    [MemberData(nameof(ExecutionOptionCases.Bad), MemberType = typeof(ExecutionOptionCases))]
    public async Task The_options_of_its_runs_are_checked_as_run_checks_them(string arguments, string message)
    {
        var (code, _, err) = await WatchAsync(arguments.Split('|'));

        code.Should().Be(CliApp.UsageError, err);
        err.Should().Contain(message).And.NotContain("   at ");
    }

    private Task<(int Code, string Out, string Err)> WatchAsync(params string[] options) =>
        CliAsync(["watch", _root + "/incoming", "--task", nameof(WatchStep), "--scope", _scope, "--trace-dir", Traces,
                  "--store", _root + "/store", "--cache-dir", Path.Combine(_scratch, "cache"), "--lease-ttl", "5", .. options]);

    private static async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var app = new CliApp(TempStore.Registry, "detect") { Out = stdout, Error = stderr };
        var code = await app.RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    internal static Task PutAsync(IObjectStore store, string key, string text) => PutAsync(store, key, Encoding.UTF8.GetBytes(text));

    internal static async Task PutAsync(IObjectStore store, string key, byte[] content)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, content);
        await store.PublishFileAsync(key, file);
        File.Delete(file);
    }

    internal static async Task<List<string[]>> ReadCsvAsync(IObjectStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        using var csv = CsvReader.Create(buffer.ToArray(), new CsvReaderOptions { HasHeader = false, Separator = ',' });
        var rows = new List<string[]>();
        while (csv.Read()) rows.Add(Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray());
        return rows;
    }

    /// <summary>A key with its claim time replaced by &lt;ts&gt;.</summary>
    internal static string Shape(string key) =>
        TriggerNames.Derived(key) is { } d ? $"{d.Stem}.{d.Kind}-<ts>.csv" : key;
}
