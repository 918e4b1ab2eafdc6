namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>What a VMSAv8-64 translation-table descriptor is.</summary>
internal enum DescriptorKind
{
    /// <summary>Not valid at this level (Translation fault).</summary>
    Invalid,

    /// <summary>Points at a next-level table.</summary>
    Table,

    /// <summary>A block mapping (level 1 or 2).</summary>
    Block,

    /// <summary>A page mapping (level 3).</summary>
    Page,
}
