using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>
/// Two VMs on one physical SMMUv3, each with its own iommufd, vIOMMU (VMID) and vSMMU: nothing VM A sends — any opcode,
/// random bytes, VM B's VMID, VM B's physical StreamIDs or vSIDs — changes VM B's IOTLB entries, ATC, configuration or
/// translations.
/// </summary>
public sealed class IsolationTests
{
    private const ulong Va = ArmTestVm.Va;
    private readonly ArmTestVm _a;
    private readonly ArmTestVm _b;
    private readonly ulong _victimHpa;

    public IsolationTests()
    {
        _a = new ArmTestVm(ats: true, name: "attacker");
        _b = new ArmTestVm(ats: true, host: _a.Host, name: "victim", sid: 0x200);
        _a.Device.Translate(Va, null, Access.Read);
        _victimHpa = _b.Device.Translate(Va, null, Access.Read).Hpa;
        _b.Device.Translate(Va + 0x1000, null, Access.Read);
    }

    [Fact]
    public void TheTwoVmsHaveDifferentVmids() => Assert.NotEqual(_a.Vm.Vmid, _b.Vm.Vmid);

    [Fact]
    public void EveryOpcodeWithTheVictimsIdsLeavesTheVictimIntact()
    {
        for (var op = 0; op < 256; op++)
        {
            foreach (var (id, address) in new ulong[] { 1, 0x200, _b.Vm.Vmid, _b.Vm.Vmid | (5UL << 16), 0xFFFF_FFFF }.SelectMany(i => new[] { (i, Va), (i, 0UL) }))
            {
                var raw = Hostile((byte)op, id, address);
                _a.Vm.Guest.Submit(raw);
                Drain(_a);
                uint n = 1;
                _a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, raw, ref n);
            }
        }

        AssertVictimIntact();
    }

    [Fact]
    public void RandomCommandStreamsNeverTouchTheOtherVm()
    {
        var ids = Gen.OneOfConst<ulong>(0, 1, 2, 0x100, 0x200, _b.Vm.Vmid, _b.Vm.Vmid | (5UL << 16), _a.Vm.Vmid | (5UL << 16), 5, 0xFFFF);
        var structured = Gen.Select(Gen.OneOfConst<byte>(0x03, 0x04, 0x05, 0x06, 0x10, 0x11, 0x12, 0x13, 0x28, 0x2A, 0x30, 0x40, 0x46), ids, Gen.ULong)
            .Select(t => Hostile(t.Item1, t.Item2, t.Item3));
        var random = Gen.Byte.Array[16];
        var command = Gen.Frequency((3, structured), (1, random));
        var viaQueue = Gen.Bool;

        Gen.Select(command.Array[1, 20], viaQueue).Sample(t =>
        {
            var (stream, queue) = t;
            if (queue)
            {
                foreach (var cmd in stream)
                {
                    _a.Vm.Guest.Produce(cmd);
                    _a.Vm.Guest.RingDoorbell();
                    Drain(_a);
                }
            }
            else
            {
                var data = stream.SelectMany(c => c).ToArray();
                var n = (uint)stream.Length;
                _a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, data, ref n);
            }

            _a.Device.Translate(Va, null, Access.Read);
            AssertVictimIntact();
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void TheAttackersCfgiSteForTheVictimsVsidOnlyReinstallsItsOwnDevice()
    {
        _a.Vm.Guest.WriteSte(1, Ste.Create());
        _a.Vm.Guest.Submit(CfgiSte.Create().WithSid(1).ToBytes(), CfgiSte.Create().WithSid(0x200).ToBytes(), CfgiSteRange.CreateAll().ToBytes());
        _a.Vm.Guest.Sync();

        Assert.True(_a.Smmu.StreamTable.TryRead(0x100, out var own, out _, out _));
        Assert.Equal(SteConfig.Abort, own.Config);
        AssertVictimIntact();
    }

    private void AssertVictimIntact()
    {
        var smmu = _a.Smmu;
        Assert.True(smmu.Iotlb.Contains(_b.Vm.Vmid, 5, Va), "victim IOTLB entry");
        Assert.True(_b.Device.Atc.Contains(0, HwSpecGen.Core.Iommufd.Device.NoPasid, Va), "victim ATC entry");
        Assert.True(smmu.StreamTable.TryRead(0x200, out var ste, out _, out _));
        Assert.Equal((SteConfig.Nested, _b.Vm.Vmid), (ste.Config, ste.S2Vmid));
        var cached = _b.Device.Translate(Va, null, Access.Read);
        Assert.Equal(_victimHpa, cached.Hpa);
        var walked = smmu.Translate(_b.Device, null, Va + 0x2000, Access.Write);
        Assert.True(walked.IsOk, walked.ToString());
        Assert.Equal(_b.Hpa(_b.Buffer + 0x2000), walked.Hpa);
    }

    private static void Drain(ArmTestVm vm)
    {
        for (var i = 0; i < 64 && vm.Vm.Vsmmu.Cmdq.ErrorActive; i++)
        {
            vm.Vm.Guest.AcknowledgeCommandError();
        }
    }

    private static byte[] Hostile(byte opcode, ulong id, ulong address)
    {
        var b = new byte[16];
        b[0] = opcode;
        BitConverter.TryWriteBytes(b.AsSpan(4), (uint)id); // StreamID 63:32, or VMID 47:32 + ASID 63:48
        BitConverter.TryWriteBytes(b.AsSpan(8), address & ~0xFFFUL);
        return b;
    }
}
