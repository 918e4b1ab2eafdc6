using System;
using Acme.Hardware;
using Acme.Hardware.AcmeIommu;
using AmdVi = Acme.Hardware.AmdVi;
using HwSpecGen.Runtime;

namespace Acme.Consumer;

/// <summary>Uses the structs HwSpecGen generated from this project's own spec (and the AMD-Vi specs it extends).</summary>
public static class Program
{
    /// <summary>Builds, encodes, decodes and validates a revision-2 device table entry; exit 1 if anything is off.</summary>
    public static int Main()
    {
        var dte = DeviceTableEntryV2.Create()
            .WithV(true)
            .WithTv(true)
            .WithMode(DteMode.Level4)
            .WithHostPageTableRoot(0x12_3456_7000)
            .WithDomainId(42)
            .WithVIommuEnable(true)
            .WithGuestDeviceId(0x0100);
        var bytes = dte.ToBytes();
        Console.WriteLine(dte);
        Console.WriteLine("bytes: " + Convert.ToHexString(bytes).ToLowerInvariant());

        var ok = DeviceTableEntryV2.TryDecode(bytes, out var back, out var error);
        Console.WriteLine($"decoded: {ok} ({error}), equal: {back == dte}, violations: {back.Validate().Count}");

        var broken = dte.WithGuestDeviceId(0);
        var violations = broken.Validate();
        Console.WriteLine($"GuestDeviceId=0 with VIommuEnable: {string.Join("; ", violations.Describe(DeviceTableEntryV2.Layout))}");

        var layout = DeviceTableEntryV2.Layout;
        Console.WriteLine($"{layout.FullName}: {layout.Bits} bits, {layout.Fields.Length} fields (AMD-Vi DeviceTableEntry has {AmdVi.DeviceTableEntry.Layout.Fields.Length}); registry: {FormatRegistry.Formats.Length} formats");

        var good = ok && back == dte && back.Validate().IsValid && !violations.IsValid && layout.Fields.Length == AmdVi.DeviceTableEntry.Layout.Fields.Length + 2;
        Console.WriteLine(good ? "consumer: OK" : "consumer: FAILED");
        return good ? 0 : 1;
    }
}
