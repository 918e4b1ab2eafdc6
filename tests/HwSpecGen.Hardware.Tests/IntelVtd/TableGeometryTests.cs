using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>Index geometry of the scalable-mode walk: bus, devfn, PASID[19:6], PASID[5:0].</summary>
public sealed class TableGeometryTests
{
    [Fact]
    public void RootAndContextTablesFollowIommuContextAddr()
    {
        // iommu_context_addr: root_entry[bus]; devfn >= 0x80 uses root->hi with devfn - 0x80; 32-byte entries.
        const ulong rid = 0x80FF; // bus 0x80, devfn 0xFF
        Assert.Equal(0x80UL, RootTable.Index(rid));
        Assert.Equal(0x80UL * 16, RootTable.Offset(rid));
        Assert.Equal(0x7FUL, ContextTable.Index(rid));
        Assert.Equal(0x7FUL * 32, ContextTable.Offset(rid));
        Assert.Equal(256, (int)RootTable.Entries);
        Assert.Equal(128, (int)ContextTable.Entries);
        Assert.Equal(4096UL, (ulong)ContextTable.Entries * (ulong)ContextTable.EntryBytes);
    }

    [Fact]
    public void PasidDirectoryAndTableFollowQemuIndexMacros()
    {
        foreach (var pasid in new ulong[] { 0, 0x3F, 0x40, 0x8_0001, 0xF_FFFF })
        {
            Assert.Equal(PasidDirIndex(pasid), PasidDirectoryTable.Index(pasid));
            Assert.Equal(PasidTableIndex(pasid), PasidTable.Index(pasid));
            Assert.Equal(PasidDirIndex(pasid) * 8, PasidDirectoryTable.Offset(pasid));
            Assert.Equal(PasidTableIndex(pasid) * 64, PasidTable.Offset(pasid));
        }

        Assert.Equal(0x3FFFUL, PasidDirectoryTable.Index(0xF_FFFF));
        Assert.Equal(16384, (int)PasidDirectoryTable.Entries);
        Assert.Equal(64, (int)PasidTable.Entries); // Linux PASID_TBL_ENTRIES
    }
}
