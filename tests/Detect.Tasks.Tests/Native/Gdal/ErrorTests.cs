using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

public sealed class ErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Corrupt_file_fails_with_an_exception_naming_it()
    {
        var path = _dir.File("corrupt.tif");
        File.WriteAllBytes(path, [0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4, 5]);

        var act = () => GdalDataset.Open(path);

        act.Should().Throw<GdalException>()
            .Where(e => e.Message.Contains(path) && e.Path == path && e.Message.Length > path.Length + 20);
    }

    [Fact]
    public void Truncated_cog_fails_on_read_naming_the_file()
    {
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(0, 0, 10), 512, 512);
        var values = new ushort[grid.PixelCount];
        new Random(3).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        var path = _dir.File("cut.tif");
        Cog.Write(path, grid, [new ReadOnlyMemory<ushort>(values)], ["b"], 0, ["COMPRESS=DEFLATE", "BLOCKSIZE=256", "OVERVIEWS=NONE"]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var act = () =>
        {
            using var ds = GdalDataset.Open(path);
            ds.ReadBand<ushort>(1);
        };

        act.Should().Throw<GdalException>().Where(e => e.Message.Contains(path));
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var path = _dir.File("nope.tif");
        var act = () => GdalDataset.Open(path);
        act.Should().Throw<GdalException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void Window_outside_the_raster_is_rejected_with_sizes()
    {
        using var ds = GdalDataset.CreateInMemory(10, 10, 1, GdalDataType.Byte);
        var act = () => ds.Read<byte>(1, 5, 5, 10, 10, new byte[100]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*10x10*");
    }
}
