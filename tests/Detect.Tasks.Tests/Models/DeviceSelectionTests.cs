using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Tests.Models;

[Collection(ConvertedModelsCollection.Name)]
public sealed class DeviceSelectionTests(ConvertedModels models) : IDisposable
{
    private readonly string _noProvider = ModelTestPaths.NewTempDir("no-cuda");

    [Fact]
    public void Auto_falls_back_to_cpu_and_logs_why_when_the_cuda_provider_is_absent()
    {
        var logger = new ListLogger();
        var (options, device) = SessionOptionsFactory.Create(InferenceDevice.Auto, InferenceSettings.Default, logger, "m", _noProvider);
        options.Dispose();

        device.Should().Be(InferenceDevice.Cpu);
        logger.Lines.Should().ContainSingle(l => l.Contains("on CPU") && l.Contains("not CUDA")
                                                 && l.Contains("libonnxruntime_providers_cuda.so") && l.Contains("DETECT_ORT_GPU=1"));
    }

    [Fact]
    public void Explicit_cuda_without_the_provider_is_a_clear_error()
    {
        var act = () => SessionOptionsFactory.Create(InferenceDevice.Cuda, InferenceSettings.Default, new ListLogger(), "m", _noProvider);

        act.Should().Throw<CudaUnavailableException>()
            .WithMessage("*--device cuda*libonnxruntime_providers_cuda.so*DETECT_ORT_GPU=1*--device auto or cpu*");
    }

    [Fact]
    public void Cpu_is_used_as_asked_and_says_so()
    {
        var logger = new ListLogger();
        var model = new PixelModel(models.PathOf("spectrogram_v0.0.11_2021-07-13"),
            new InferenceSettings { Device = InferenceDevice.Cpu, Threads = 1 }, logger);

        model.Device.Should().Be(InferenceDevice.Cpu);
        logger.Lines.Should().ContainSingle(l => l.Contains("on CPU") && l.Contains("--device cpu"));
    }

    [Fact]
    public void Wrong_input_lengths_are_rejected_with_the_expected_layout()
    {
        var model = new PixelModel(models.PathOf("spectrogram_v0.0.11_2021-07-13"), new InferenceSettings { Device = InferenceDevice.Cpu });
        var act = () => model.Predict(new float[25], new float[1]);
        act.Should().Throw<ArgumentException>().WithMessage("*12 bands x 2 dates*25 floats*multiple of 24*");
        var missing = () => new PixelModel(Path.Combine(_noProvider, "absent.onnx"));
        missing.Should().Throw<FileNotFoundException>().WithMessage("*absent.onnx*ModelFile*");
    }

    [Fact]
    public void Onnx_runtime_is_loaded_from_beside_the_executable_where_the_build_copies_it()
    {
        OrtNativeLibrary.EnsureRegistered().Should().Be(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so"));
        File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime_providers_shared.so")).Should().BeTrue();
    }

    public void Dispose() => Directory.Delete(_noProvider, recursive: true);

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
