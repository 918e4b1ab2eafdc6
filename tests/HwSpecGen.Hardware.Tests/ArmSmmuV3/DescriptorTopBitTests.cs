using System;
using HwSpecGen.Hardware.ArmSmmuV3;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// Two vectors for every translation descriptor format (granule x level): the smallest output address with
/// small attributes, and the top bit of every multi-bit field, read back with QEMU smmu-internal.h PTE_* macros and
/// the Linux io-pgtable-arm.c ARM_LPAE_PTE_* bits.
/// </summary>
public sealed class DescriptorTopBitTests
{
    // Attributes of the "top" vectors: AP/S2AP 0b10, SH 0b10 (outer), AttrIndx 0b100, MemAttr 0b1000, XN 0b10, APTable 0b10.
    private const ulong TopS1Attrs = (4UL << 2) | LpaePteNs | (2UL << 6) | (2UL << 8) | LpaePteAf | LpaePteNg | LpaePteDbm | (1UL << 52) | (3UL << 53);
    private const ulong TopS2Attrs = (8UL << 2) | (2UL << 6) | (2UL << 8) | LpaePteAf | LpaePteDbm | (1UL << 52) | (2UL << 53);

    [Fact]
    public void Stage1Tables()
    {
        Table(a => S1TableDescriptor4K.Create().WithNextTableAddress(a), d => d.NextTableAddress, 12, 0x1000, 0x8000_0000_0000);
        Table(a => S1TableDescriptor16K.Create().WithNextTableAddress(a), d => d.NextTableAddress, 14, 0x4000, 0x8000_0000_0000);
        Table(a => S1TableDescriptor64K.Create().WithNextTableAddress(a), d => d.NextTableAddress, 16, 0x1_0000, 0x0008_8000_0000_0000);

        // The table attribute bits at their top values: NSTable (63), APTable 0b10 (62:61), UXNTable (60), PXNTable (59).
        var t = S1TableDescriptor64K.Create().WithNextTableAddress(0x1_0000).WithNsTable(true).WithApTable(2).WithUxnTable(true).WithPxnTable(true).GetWord(0);
        Assert.Equal(LpaePteNsTable | (2UL << 61) | (1UL << 60) | (1UL << 59), t & (0x1FUL << 59));
        Assert.Equal(2UL, PteApTable(t));
    }

    [Fact]
    public void Stage2Tables()
    {
        Table(a => S2TableDescriptor4K.Create().WithNextTableAddress(a), d => d.NextTableAddress, 12, 0x1000, 0x8000_0000_0000);
        Table(a => S2TableDescriptor16K.Create().WithNextTableAddress(a), d => d.NextTableAddress, 14, 0x4000, 0x8000_0000_0000);
        Table(a => S2TableDescriptor64K.Create().WithNextTableAddress(a), d => d.NextTableAddress, 16, 0x1_0000, 0x0008_8000_0000_0000);
    }

    [Fact]
    public void Stage1Pages()
    {
        Leaf((a, top) => Attrs1(S1PageDescriptor4K.Create().WithOutputAddress(a), top), d => (d.OutputAddress, (ulong)d.Ap), 12, 3, 0x8000_0000_0000);
        Leaf((a, top) => Attrs1(S1PageDescriptor16K.Create().WithOutputAddress(a), top), d => (d.OutputAddress, (ulong)d.Ap), 14, 3, 0x8000_0000_0000);
        Leaf((a, top) => Attrs1(S1PageDescriptor64K.Create().WithOutputAddress(a), top), d => (d.OutputAddress, (ulong)d.Ap), 16, 3, 0x0008_8000_0000_0000);
    }

    [Fact]
    public void Stage1Blocks()
    {
        Leaf((a, top) => Attrs1(S1BlockDescriptor4KLevel1.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.Ap), 30, 1, 0x8000_0000_0000);
        Leaf((a, top) => Attrs1(S1BlockDescriptor4KLevel2.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.Ap), 21, 2, 0x8000_0000_0000);
        Leaf((a, top) => Attrs1(S1BlockDescriptor16KLevel2.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.Ap), 25, 2, 0x8000_0000_0000);
        Leaf((a, top) => Attrs1(S1BlockDescriptor64KLevel2.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.Ap), 29, 2, 0x0008_8000_0000_0000);
        Leaf((a, top) => Attrs1(S1BlockDescriptor64KLevel1.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.Ap), 42, 1, 0x0008_8000_0000_0000);
    }

    [Fact]
    public void Stage2Pages()
    {
        Leaf((a, top) => Attrs2(S2PageDescriptor4K.Create().WithOutputAddress(a), top), d => (d.OutputAddress, (ulong)d.S2Ap), 12, 3, 0x8000_0000_0000, stage2: true);
        Leaf((a, top) => Attrs2(S2PageDescriptor16K.Create().WithOutputAddress(a), top), d => (d.OutputAddress, (ulong)d.S2Ap), 14, 3, 0x8000_0000_0000, stage2: true);
        Leaf((a, top) => Attrs2(S2PageDescriptor64K.Create().WithOutputAddress(a), top), d => (d.OutputAddress, (ulong)d.S2Ap), 16, 3, 0x0008_8000_0000_0000, stage2: true);
    }

    [Fact]
    public void Stage2Blocks()
    {
        Leaf((a, top) => Attrs2(S2BlockDescriptor4KLevel1.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.S2Ap), 30, 1, 0x8000_0000_0000, stage2: true);
        Leaf((a, top) => Attrs2(S2BlockDescriptor4KLevel2.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.S2Ap), 21, 2, 0x8000_0000_0000, stage2: true);
        Leaf((a, top) => Attrs2(S2BlockDescriptor16KLevel2.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.S2Ap), 25, 2, 0x8000_0000_0000, stage2: true);
        Leaf((a, top) => Attrs2(S2BlockDescriptor64KLevel2.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.S2Ap), 29, 2, 0x0008_8000_0000_0000, stage2: true);
        Leaf((a, top) => Attrs2(S2BlockDescriptor64KLevel1.Create().WithOutputAddress(a).WithNt(top), top), d => (d.OutputAddress, (ulong)d.S2Ap), 42, 1, 0x0008_8000_0000_0000, stage2: true);
    }

    private static void Table<T>(Func<ulong, T> build, Func<T, ulong> address, int shift, ulong low, ulong top)
        where T : struct, IHardwareFormat<T>
    {
        foreach (var a in new[] { low, top })
        {
            var d = build(a);
            var pte = d.GetWord(0);
            Assert.True(IsTablePte(pte, 0));
            Assert.Equal(a & GenMask(47, shift), PteAddress(pte, shift));
            Assert.Equal(PaddrToIopte(a) | LpaePteTypeTable, pte);
            Assert.Equal(a, address(Decode<T>(BytesOf(d))));
            Assert.True(d.Validate().IsValid);
        }
    }

    private static void Leaf<T>(Func<ulong, bool, T> build, Func<T, (ulong Address, ulong Ap)> read, int shift, int level, ulong top, bool stage2 = false)
        where T : struct, IHardwareFormat<T>
    {
        foreach (var (a, isTop) in new[] { (1UL << shift, false), (top, true) })
        {
            var d = build(a, isTop);
            var pte = d.GetWord(0);
            Assert.Equal(level == 3, IsPagePte(pte, 3));
            Assert.Equal(level < 3, IsBlockPte(pte, level));
            Assert.Equal(a & GenMask(47, shift), PteAddress(pte, shift));
            var nt = level < 3 ? 1UL << 16 : 0; // nT (bit 16) of a block shares the Linux address mask
            Assert.Equal(PaddrToIopte(a), pte & LpaePteAddrMask & ~nt);
            Assert.Equal(isTop && level < 3, (pte & nt) != 0);
            Assert.Equal(1UL, PteAf(pte));
            Assert.Equal(isTop ? 2UL : 1UL, PteAp(pte));
            Assert.Equal(isTop ? (stage2 ? TopS2Attrs : TopS1Attrs) : (stage2 ? LpaePteAf | LpaePteHapRead : LpaePteAf | LpaePteApUnpriv),
                pte & ~LpaePteAddrMask & ~3UL);
            var back = read(Decode<T>(BytesOf(d)));
            Assert.Equal(a, back.Address);
            Assert.Equal(isTop ? 2UL : 1UL, back.Ap);
            Assert.True(d.Validate().IsValid);
        }
    }

    private static S1PageDescriptor4K Attrs1(S1PageDescriptor4K d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1PageDescriptor16K Attrs1(S1PageDescriptor16K d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1PageDescriptor64K Attrs1(S1PageDescriptor64K d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1BlockDescriptor4KLevel1 Attrs1(S1BlockDescriptor4KLevel1 d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1BlockDescriptor4KLevel2 Attrs1(S1BlockDescriptor4KLevel2 d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1BlockDescriptor16KLevel2 Attrs1(S1BlockDescriptor16KLevel2 d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1BlockDescriptor64KLevel2 Attrs1(S1BlockDescriptor64KLevel2 d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S1BlockDescriptor64KLevel1 Attrs1(S1BlockDescriptor64KLevel1 d, bool top) => top
        ? d.WithAttrIndx(4).WithNs(true).WithAp(S1AccessPermission.PrivilegedReadOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithNg(true).WithDbm(true).WithContiguous(true).WithPxn(true).WithUxn(true)
        : d.WithAp(S1AccessPermission.ReadWrite).WithAf(true);

    private static S2PageDescriptor4K Attrs2(S2PageDescriptor4K d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2PageDescriptor16K Attrs2(S2PageDescriptor16K d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2PageDescriptor64K Attrs2(S2PageDescriptor64K d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2BlockDescriptor4KLevel1 Attrs2(S2BlockDescriptor4KLevel1 d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2BlockDescriptor4KLevel2 Attrs2(S2BlockDescriptor4KLevel2 d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2BlockDescriptor16KLevel2 Attrs2(S2BlockDescriptor16KLevel2 d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2BlockDescriptor64KLevel2 Attrs2(S2BlockDescriptor64KLevel2 d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);

    private static S2BlockDescriptor64KLevel1 Attrs2(S2BlockDescriptor64KLevel1 d, bool top) => top
        ? d.WithMemAttr(8).WithS2Ap(S2AccessPermission.WriteOnly).WithSh(Shareability.OuterShareable).WithAf(true).WithDbm(true).WithContiguous(true).WithXn(2)
        : d.WithS2Ap(S2AccessPermission.ReadOnly).WithAf(true);
}
