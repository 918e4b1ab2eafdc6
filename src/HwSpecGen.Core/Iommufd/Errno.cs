namespace HwSpecGen.Core.Iommufd;

/// <summary>The errno values iommufd returns (Linux numbering).</summary>
public enum Errno
{
    /// <summary>Success.</summary>
    None = 0,

    /// <summary>No such object.</summary>
    ENOENT = 2,

    /// <summary>I/O error (SMMUv3: illegal guest data).</summary>
    EIO = 5,

    /// <summary>No such device or address.</summary>
    ENXIO = 6,

    /// <summary>Argument list too long (<c>copy_struct_from_user</c>: non-zero bytes past the kernel's struct).</summary>
    E2BIG = 7,

    /// <summary>Out of memory / reserved PASID.</summary>
    ENOMEM = 12,

    /// <summary>Bad user pointer.</summary>
    EFAULT = 14,

    /// <summary>In use.</summary>
    EBUSY = 16,

    /// <summary>Already exists.</summary>
    EEXIST = 17,

    /// <summary>No such device.</summary>
    ENODEV = 19,

    /// <summary>Invalid argument.</summary>
    EINVAL = 22,

    /// <summary>No space left (ID allocation).</summary>
    ENOSPC = 28,

    /// <summary>Value too large.</summary>
    EOVERFLOW = 75,

    /// <summary>Operation not supported.</summary>
    EOPNOTSUPP = 95,

    /// <summary>Address in use.</summary>
    EADDRINUSE = 98,
}
