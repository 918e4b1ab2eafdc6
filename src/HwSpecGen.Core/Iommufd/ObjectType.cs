namespace HwSpecGen.Core.Iommufd;

/// <summary>iommufd object types (<c>IOMMUFD_OBJ_*</c>).</summary>
public enum ObjectType
{
    /// <summary>An I/O address space.</summary>
    Ioas,

    /// <summary>A bound device.</summary>
    Device,

    /// <summary>A kernel-managed paging HWPT (possibly a nest parent).</summary>
    HwptPaging,

    /// <summary>A guest-managed nested HWPT.</summary>
    HwptNested,

    /// <summary>A vIOMMU.</summary>
    Viommu,

    /// <summary>A virtual device on a vIOMMU.</summary>
    Vdevice,

    /// <summary>A virtual event queue.</summary>
    Veventq,

    /// <summary>A fault (IOPF) queue.</summary>
    Fault,
}
