using System.IO;

namespace HwSpecGen.Cli.Tests;

/// <summary>Paths of the files under Data/ (copied next to the test binaries).</summary>
internal static class TestData
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([System.AppContext.BaseDirectory, "Data", .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));
}
