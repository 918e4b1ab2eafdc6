namespace HwSpecGen.Core.Iommufd;

/// <summary>An I/O page fault delivered through a FAULT queue (<c>struct iommu_hwpt_pgfault</c>).</summary>
/// <param name="DeviceId">The iommufd device id.</param>
/// <param name="Pasid">PASID, if any.</param>
/// <param name="GroupId">Page request group.</param>
/// <param name="Address">Faulting address.</param>
/// <param name="Permissions">Requested access.</param>
/// <param name="Cookie">Cookie to answer with.</param>
public sealed record PageRequest(uint DeviceId, uint? Pasid, uint GroupId, ulong Address, Translation.Access Permissions, uint Cookie);
