namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>How a second-stage lookup ended (the caller turns it into the fault reason that fits the request).</summary>
internal enum SecondStageStatus
{
    /// <summary>A leaf maps the address.</summary>
    Mapped,

    /// <summary>The address is beyond the table's address width.</summary>
    BeyondWidth,

    /// <summary>An entry could not be read from host memory.</summary>
    AccessError,

    /// <summary>An entry has R = W = 0 (not present).</summary>
    NotPresent,

    /// <summary>An entry has reserved bits set.</summary>
    Reserved,
}
