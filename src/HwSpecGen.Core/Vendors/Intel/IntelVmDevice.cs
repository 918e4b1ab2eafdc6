namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>A device assigned to a VM: its physical RID, the RID the guest sees, ATS and PASID capability.</summary>
/// <param name="PhysicalRid">RID behind the physical unit (bus[15:8] dev[7:3] fn[2:0]).</param>
/// <param name="VirtualRid">RID the guest sees on its emulated unit.</param>
/// <param name="Ats">ATS capable (has an ATC).</param>
/// <param name="PasidBits">PASID width (0 = none).</param>
public sealed record IntelVmDevice(ushort PhysicalRid, ushort VirtualRid, bool Ats = true, int PasidBits = 0);
