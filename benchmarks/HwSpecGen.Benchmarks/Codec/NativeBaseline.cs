using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>
/// The C baseline (benchmarks/native/hsgbench.c, built by benchmarks/native/build.sh with g++ -O2). Each function
/// processes a whole batch so the P/Invoke transition is paid once per <see cref="CodecData.N"/> operations. The library
/// is found through <c>HWSPECGEN_NATIVE_LIB</c> or by walking up from the executable to benchmarks/native/build/.
/// </summary>
public static unsafe partial class NativeBaseline
{
    private const string Lib = "hsgbench";

    private static readonly IntPtr Handle;

    static NativeBaseline()
    {
        LibraryPath = Find();
        if (LibraryPath is null)
        {
            LoadError = "no benchmarks/native/build/libhsgbench.so above " + AppContext.BaseDirectory + " and HWSPECGEN_NATIVE_LIB not set";
            return;
        }

        if (!NativeLibrary.TryLoad(LibraryPath, out Handle))
        {
            LoadError = "cannot load " + LibraryPath;
            LibraryPath = null;
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(NativeBaseline).Assembly, Resolve);
    }

    /// <summary>The loaded library, or null.</summary>
    public static string? LibraryPath { get; }

    /// <summary>Why the library is not available.</summary>
    public static string? LoadError { get; }

    /// <summary>True when the C library was found and loaded.</summary>
    public static bool IsAvailable => LibraryPath is not null;

    /// <summary>Throws when the library is missing (the *_C benchmarks are filtered out before that can happen).</summary>
    public static void EnsureLoaded()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("C baseline not available: " + LoadError);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name == Lib ? Handle : IntPtr.Zero;

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("HWSPECGEN_NATIVE_LIB") is { Length: > 0 } env)
        {
            return File.Exists(env) ? Path.GetFullPath(env) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "native", "build", "libhsgbench.so");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [LibraryImport(Lib, EntryPoint = "hsg_amd_inv_decode")]
    public static partial ulong AmdInvDecode(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_amd_inv_validate")]
    public static partial int AmdInvValidate(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_amd_inv_encode")]
    public static partial int AmdInvEncode(ulong* parameters, int n, byte* output);

    [LibraryImport(Lib, EntryPoint = "hsg_vtd_piotlb_decode")]
    public static partial ulong VtdPiotlbDecode(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_vtd_piotlb_validate")]
    public static partial int VtdPiotlbValidate(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_vtd_piotlb_encode")]
    public static partial int VtdPiotlbEncode(ulong* parameters, int n, byte* output);

    [LibraryImport(Lib, EntryPoint = "hsg_smmu_tlbi_decode")]
    public static partial ulong SmmuTlbiDecode(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_smmu_tlbi_validate")]
    public static partial int SmmuTlbiValidate(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_smmu_tlbi_encode")]
    public static partial int SmmuTlbiEncode(ulong* parameters, int n, byte* output);

    [LibraryImport(Lib, EntryPoint = "hsg_ste_decode")]
    public static partial ulong SteDecode(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_ste_validate")]
    public static partial int SteValidate(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_ste_encode")]
    public static partial int SteEncode(ulong* parameters, int n, byte* output);

    [LibraryImport(Lib, EntryPoint = "hsg_dte_decode")]
    public static partial ulong DteDecode(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_dte_validate")]
    public static partial int DteValidate(byte* entries, int n);

    [LibraryImport(Lib, EntryPoint = "hsg_dte_encode")]
    public static partial int DteEncode(ulong* parameters, int n, byte* output);

    [LibraryImport(Lib, EntryPoint = "hsg_smmu_dispatch")]
    public static partial ulong SmmuDispatch(byte* entries, int n);
}
