namespace HwSpecGen.Core.Iommufd;

/// <summary>Base of every iommufd object: an id in the context's one id space and a count of the references others hold.</summary>
public abstract class IommufdObject
{
    /// <summary>Creates an object.</summary>
    protected IommufdObject(uint id) => Id = id;

    /// <summary>The object id.</summary>
    public uint Id { get; }

    /// <summary>The object type.</summary>
    public abstract ObjectType Type { get; }

    /// <summary>References held by other objects or attachments; <c>IOMMU_DESTROY</c> fails with EBUSY while non-zero.</summary>
    public int Users { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Type}#{Id}";
}
