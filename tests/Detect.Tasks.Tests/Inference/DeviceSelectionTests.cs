using Detect.Tasks.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Detect.Tasks.Tests.Models;

namespace Detect.Tasks.Tests.Inference;

[Collection(ConvertedModelsCollection.Name)]
public sealed class DeviceSelectionTests(ConvertedModels models) : IDisposable
{
    private readonly string _noProvider = ModelTestPaths.NewTempDir("no-cuda");

    [Fact]
    public void Auto_falls_back_to_cpu_and_logs_why_and_how_to_get_the_gpu_build()
    {
        var logger = new ListLogger();
        var (options, device) = SessionOptionsFactory.Create(InferenceDevice.Auto, InferenceSettings.Default, logger, "m",
            CudaProbe.Probe(_noProvider, 0));
        options.Dispose();

        device.Should().Be(InferenceDevice.Cpu);
        logger.Lines.Should().ContainSingle(l => l.Contains("on CPU") && l.Contains("not CUDA") && l.Contains("CPU build")
            && l.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux") && l.Contains("DETECT_ORT_GPU=1") && l.Contains("CUDA 13") && l.Contains("cuDNN 9"));
    }

    [Fact]
    public void Explicit_cuda_without_the_gpu_build_is_a_clear_error()
    {
        var act = () => SessionOptionsFactory.Create(InferenceDevice.Cuda, InferenceSettings.Default, new ListLogger(), "m",
            CudaProbe.Probe(_noProvider, 0));

        act.Should().Throw<CudaUnavailableException>()
            .WithMessage("*--device cuda*CPU build*Microsoft.ML.OnnxRuntime.Gpu.Linux*DETECT_ORT_GPU=1*CUDA 13*cuDNN 9*--device auto or cpu*");
    }

    [Fact]
    public void A_cuda_provider_that_cannot_load_is_reported_with_the_loader_message_and_the_libraries_it_needs()
    {
        File.WriteAllText(Path.Combine(_noProvider, CudaProbe.ProviderFile), "not a shared library");

        var cuda = CudaProbe.Probe(_noProvider, 0);

        cuda.Available.Should().BeFalse();
        cuda.Reason.Should().Contain(CudaProbe.ProviderFile).And.Contain("cannot be loaded").And.Contain("libcublasLt").And.Contain("cuDNN 9");
        cuda.Reason.Should().MatchRegex("(invalid ELF header|file too short)", "the dynamic loader's own message is passed on");
    }

#if !DETECT_GPU
    [Fact]
    public void The_cpu_build_resolves_auto_to_the_cpu_once_per_process()
    {
        var cuda = CudaProbe.For();
        cuda.Available.Should().BeFalse();
        cuda.Reason.Should().Contain("CPU build").And.Contain("DETECT_ORT_GPU=1");
        CudaProbe.For().Should().BeSameAs(cuda, "auto is resolved once per process");
        var model = new PixelModel(models.PathOf("spectrogram_v0.0.11_2021-07-13"), new InferenceSettings { Threads = 1 });
        model.Device.Should().Be(InferenceDevice.Cpu);
    }
#endif

    [Fact]
    public void The_probe_model_is_a_valid_onnx_graph()
    {
        using var session = new InferenceSession(ProbeModel.Bytes);
        float[] input = [-1f, 2f], output = new float[2];
        using var x = OrtValue.CreateTensorValueFromMemory(input, [2]);
        using var y = OrtValue.CreateTensorValueFromMemory(output, [2]);
        session.Run(null, [ProbeModel.Input], [x], [ProbeModel.Output], [y]);
        output.Should().Equal(0f, 2f);
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
    public void Onnx_runtime_comes_from_nuget_with_only_linux_native_files_beside_the_program()
    {
        OrtEnv.Instance().GetVersionString().Should().StartWith("1.31.");
        var program = AppContext.BaseDirectory;
        File.Exists(Path.Combine(program, "libonnxruntime.so")).Should().BeTrue();
        File.Exists(Path.Combine(program, "libonnxruntime_providers_shared.so")).Should().BeTrue();
        Directory.GetFiles(program, "*onnxruntime*.dll").Should().BeEmpty("Windows DLLs stay out of the Linux output");
        Directory.Exists(Path.Combine(program, "runtimes")).Should().BeFalse("only this platform's native files are copied");
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
