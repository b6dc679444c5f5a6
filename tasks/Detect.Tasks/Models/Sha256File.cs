using System.Security.Cryptography;

namespace Detect.Tasks.Models;

/// <summary>A file's content differs from what the models manifest pins.</summary>
public sealed class ModelIntegrityException(string message) : Exception(message);

public static class Sha256File
{
    public static string Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws <see cref="ModelIntegrityException"/> naming the file and both hashes on a mismatch.</summary>
    public static void Verify(string path, string expected, string what)
    {
        var actual = Of(path);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new ModelIntegrityException(
                $"{path} ({what}) has sha256 {actual}, but the models manifest pins {expected}. " +
                "The file is corrupt or not the model the manifest names; re-import it with `detect models import`.");
    }
}
