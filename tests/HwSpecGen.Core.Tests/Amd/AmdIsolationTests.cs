using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>
/// Two VMs (two iommufds, two vIOMMUs) on one physical AMD IOMMU: whatever VM A writes into its command buffer — every opcode,
/// VM B's DeviceIDs and DomainIDs, host IDs, random bytes — VM B's cached and walked translations, DTEs and memory stay intact.
/// </summary>
public sealed class AmdIsolationTests
{
    private const ushort VictimGuestDevice = 0x0020;
    private const ulong VictimGuestDomain = 0x9;
    private readonly AmdTestBed _a;
    private readonly AmdTestBed _b;
    private readonly Device _victim;
    private readonly ulong _victimHpa;
    private readonly byte[] _victimDte;
    private readonly byte[] _victimMemory;

    public AmdIsolationTests()
    {
        var host = new AmdScenario();
        _a = new AmdTestBed(host, "vm-a", AmdTestBed.GuestDomain, new AmdDeviceSpec(0x0100, 0x0008), new AmdDeviceSpec(0x0200, 0x0010));
        _b = new AmdTestBed(host, "vm-b", VictimGuestDomain, new AmdDeviceSpec(0x0300, VictimGuestDevice));
        _victim = _b.Dev(VictimGuestDevice);
        _victimHpa = _victim.Translate(AmdTestBed.Iova, null, Access.Write).Hpa;
        _victimDte = host.Iommu.ReadDte(0x0300).ToBytes();
        _victimMemory = new byte[0x4000];
        _b.Vm.Memory.TryRead(_b.Buffer, _victimMemory);
    }

    public static TheoryData<ulong> AllOpcodes => new() { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

    [Theory]
    [MemberData(nameof(AllOpcodes))]
    public void EveryOpcodeNamingTheOtherVmsIdsLeavesItIntact(ulong opcode)
    {
        foreach (var id in new ulong[] { VictimGuestDevice, 0x0300, VictimGuestDomain, _b.HostDomain })
        {
            var cmd = opcode switch
            {
                1 => CompletionWait.Create().WithS(true).WithI(true).WithStoreAddress(_b.Buffer).WithStoreData(0xBAD).ToBytes(), // B's GPA, A's RAM
                2 => InvalidateDevtabEntry.Create().WithDeviceId(id).ToBytes(),
                3 => InvalidateIommuPages.FromRange(0, ulong.MaxValue, id).ToBytes(),
                4 => InvalidateIotlbPages.FromRange(0, ulong.MaxValue, id, 0).ToBytes(),
                5 => InvalidateInterruptTable.Create().WithDeviceId(id).ToBytes(),
                6 => PrefetchIommuPages.Create().WithDeviceId(id).WithAddress(AmdTestBed.Iova).ToBytes(),
                7 => CompletePprRequest.Create().WithDeviceId(id).ToBytes(),
                8 => InvalidateIommuAll.Create().ToBytes(),
                _ => RawOpcode(opcode, id),
            };
            Send(cmd);
            AssertVictimIntact();
        }
    }

    [Fact]
    public void TheSoftwarePathRejectsTheOtherVmsIdsToo()
    {
        byte[] entries =
        [
            .. InvalidateIommuPages.FromRange(0, ulong.MaxValue, VictimGuestDomain).ToBytes(),
            .. InvalidateIotlbPages.FromRange(0, ulong.MaxValue, VictimGuestDevice, 0).ToBytes(),
            .. InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0300, 0).ToBytes(),
        ];
        for (var i = 0; i < 3; i++)
        {
            var n = 1u;
            var r = _a.Vm.Context.HwptInvalidate(_a.Vm.Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 16, entries.AsSpan(i * 16, 16), ref n);
            Assert.Equal(Errno.EIO, r.Error);
            Assert.Equal(0u, n);
        }

        // A's vIOMMU id is unknown to B's iommufd, and B's to A's.
        var m = 1u;
        Assert.Equal(Errno.EINVAL, _b.Vm.Context.HwptInvalidate(_a.Vm.Ioas.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 16, entries.AsSpan(0, 16), ref m).Error);
        AssertVictimIntact();
    }

    [Fact]
    public void RandomCommandStreamsNeverTouchTheOtherVm()
    {
        var ids = Gen.OneOfConst<ulong>(0x0008, 0x0010, VictimGuestDevice, 0x0300, AmdTestBed.GuestDomain, VictimGuestDomain, _b.HostDomain, 0xFFFF);
        var structured = Gen.Select(Gen.ULong[0, 15], ids, Gen.ULong, Gen.Bool).Select(t =>
        {
            var (opcode, id, address, gn) = t;
            return opcode switch
            {
                2 => InvalidateDevtabEntry.Create().WithDeviceId(id).ToBytes(),
                3 => InvalidateIommuPages.Create().WithDomainId(id).WithAddress(address & ~0xFFFUL).WithS(gn).WithGn(gn).ToBytes(),
                4 => InvalidateIotlbPages.Create().WithDeviceId(id).WithAddress(address & ~0xFFFUL).WithS(!gn).WithGn(gn).ToBytes(),
                8 => InvalidateIommuAll.Create().ToBytes(),
                1 => CompletionWait.Create().WithS(gn).WithI(!gn).WithStoreAddress(address & 0x1F_FFF8).WithStoreData(address).ToBytes(),
                _ => RawOpcode(opcode, id),
            };
        });
        var random = Gen.Byte.Array[16];
        var command = Gen.Frequency((3, structured), (1, random));

        command.Array[1, 24].Sample(stream =>
        {
            foreach (var cmd in stream)
            {
                _a.Vm.QueueRaw(cmd);
            }

            _a.Vm.Doorbell();
            while (!_a.Vm.GuestIommu.StatusRegister.CmdBufRun)
            {
                _a.Vm.RestartCommandBuffer(); // skip the bad one, run the rest
            }

            _a.Vm.ReadGuestEvents();
            AssertVictimIntact();
        }, iter: 200, threads: 1);
    }

    private static byte[] RawOpcode(ulong opcode, ulong id)
    {
        var b = new byte[16];
        BitConverter.TryWriteBytes(b, id | (id << 32));
        BitConverter.TryWriteBytes(b.AsSpan(8), ~id);
        AmdCommandBytes.SetOpcode(b, opcode);
        return b;
    }

    private void Send(byte[] command)
    {
        _a.Vm.QueueRaw(command);
        _a.Vm.Doorbell();
        if (!_a.Vm.GuestIommu.StatusRegister.CmdBufRun)
        {
            _a.Vm.RestartCommandBuffer();
        }

        _a.Vm.ReadGuestEvents();
    }

    private void AssertVictimIntact()
    {
        var iommu = _b.Iommu;
        Assert.True(iommu.Iotlb.Contains(_b.HostDomain, 0, AmdTestBed.Iova), "VM B's IOTLB entry was dropped");
        Assert.True(_victim.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova), "VM B's ATC entry was dropped");
        Assert.Equal(_victimDte, iommu.ReadDte(0x0300).ToBytes());
        Assert.True(_b.Vm.Driver.TryMapDomain(VictimGuestDomain, out var hDom) && hDom == _b.HostDomain);
        Assert.IsType<HwptNested>(_victim.Attached);
        var memory = new byte[0x4000];
        _b.Vm.Memory.TryRead(_b.Buffer, memory);
        Assert.Equal(_victimMemory, memory);

        // Walked, not cached: the IOMMU's own walk of VM B's tables still gives the same page.
        var walk = iommu.Translate(_victim, null, AmdTestBed.Iova + 0x1000, Access.Read);
        Assert.True(walk.IsOk);
        Assert.Equal(_victimHpa + 0x1000, walk.Hpa);
    }
}
