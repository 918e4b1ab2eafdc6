using HwSpecGen.Core.Iommufd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The VT-d driver's nested domain (<c>struct dmar_domain</c> with <c>s1_cfg</c> and <c>s2_domain</c>): the validated
/// <c>iommu_hwpt_vtd_s1</c> and the host DID its translations are tagged with. As in Linux, the DID is allocated on this
/// IOMMU when the first device attaches (<c>domain_attach_iommu</c>) and released when the last one detaches.
/// </summary>
public sealed class IntelNestedDomain : NestedDomain
{
    private readonly IntelVtdIommu _iommu;

    internal IntelNestedDomain(IntelVtdIommu iommu, HwptPaging parent, IommuHwptVtdS1 config)
    {
        _iommu = iommu;
        Parent = parent;
        Config = config;
    }

    /// <summary>The nest parent (stage 2).</summary>
    public HwptPaging Parent { get; }

    /// <summary>The guest's stage-1 configuration as copied from user space.</summary>
    public IommuHwptVtdS1 Config { get; }

    /// <summary>The host DID while attached somewhere on this IOMMU, else 0.</summary>
    public ushort Did { get; private set; }

    /// <summary>Attachments holding the DID.</summary>
    public int DidUsers { get; private set; }

    /// <inheritdoc/>
    public override ulong DomainTag => Did;

    /// <inheritdoc/>
    public override void Release() => _iommu.ReleaseNested(this);

    internal bool AcquireDid()
    {
        if (DidUsers == 0)
        {
            var did = _iommu.AllocateNestedDid();
            if (did == 0)
            {
                return false;
            }

            Did = did;
        }

        DidUsers++;
        return true;
    }

    internal void ReleaseDid()
    {
        if (DidUsers == 0)
        {
            return;
        }

        if (--DidUsers == 0)
        {
            _iommu.RetireDid(Did);
            Did = 0;
        }
    }
}
