using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Core.Vendors.Intel;
using AmdHw = HwSpecGen.Hardware.AmdVi;
using ArmHw = HwSpecGen.Hardware.ArmSmmuV3;
using IntelHw = HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Benchmarks.Translation;

/// <summary>
/// One vendor's nested setup, built with its public scenario helper: a VM, a device attached to a nested domain (the
/// guest's 4-level stage-1 table, 4 KiB pages) over the nest parent's 4-level stage 2 — remapped here with 4 KiB leaves
/// so that every stage-2 lookup of a miss walks all four levels — and <see cref="Pages"/> mapped IOVAs. Also the guest's
/// invalidation queue, pre-filled with page invalidations of those IOVAs, for the queue-processing rate.
/// </summary>
public sealed class VendorFixture
{
    /// <summary>Vendor keys, as <c>hwspec</c> names them.</summary>
    public static readonly string[] Vendors = ["amd-vi", "intel-vtd", "arm-smmuv3"];

    /// <summary>The SMMUv3 fixture with the vSMMU forwarding each guest command in its own IOMMU_HWPT_INVALIDATE (QEMU's way) instead of one call per run of commands.</summary>
    public const string ArmOneCommandPerCall = "arm-smmuv3 (1 command per call)";

    /// <summary>Mapped pages.</summary>
    public const int Pages = 256;

    private const ulong RamBytes = 64UL << 20;
    private const ulong IovaBase = 0x7F12_3400_0000;

    private VendorFixture(string vendor, PhysicalIommu iommu, Device device, uint? pasid, GuestQueue queue)
    {
        Vendor = vendor;
        Iommu = iommu;
        Device = device;
        Pasid = pasid;
        Queue = queue;
        Iovas = new ulong[Pages];
        for (var i = 0; i < Pages; i++)
        {
            Iovas[i] = IovaBase + ((ulong)i << 12);
        }
    }

    /// <summary>Vendor key.</summary>
    public string Vendor { get; }

    /// <summary>The physical IOMMU (its <c>Translate</c> is the hardware path: IOTLB, then the nested walk).</summary>
    public PhysicalIommu Iommu { get; }

    /// <summary>The device (ATS off, so that nothing is answered from an ATC).</summary>
    public Device Device { get; }

    /// <summary>The PASID of requests (null: requests without PASID).</summary>
    public uint? Pasid { get; }

    /// <summary>The mapped IOVAs.</summary>
    public ulong[] Iovas { get; }

    /// <summary>The guest's command/invalidation queue.</summary>
    public GuestQueue Queue { get; }

    /// <summary>Translates <paramref name="iova"/> for a read.</summary>
    public TranslationResult Translate(ulong iova) => Iommu.Translate(Device, Pasid, iova, Access.Read);

    /// <summary>
    /// Caches <paramref name="entries"/> more 4 KiB translations in the IOTLB, in the device's own address space (its
    /// tag and space, read off the entry one translation leaves), at the pages after the mapped ones — so that the
    /// guest's invalidations work in a table of that size.
    /// </summary>
    public void FillIotlb(int entries)
    {
        var r = Translate(Iovas[0]);
        if (!r.IsOk)
        {
            throw new InvalidOperationException($"{Vendor}: IOVA 0x{Iovas[0]:X} does not translate: {r}");
        }

        var key = Iommu.Iotlb.Entries.First(e => e.Key.Base == Iovas[0]).Key;
        var first = IovaBase + ((ulong)Pages << 12);
        for (var i = 0; i < entries; i++)
        {
            Iommu.Iotlb.Insert(key.Tag, key.Space, first + ((ulong)i << 12), new TlbEntry(0x1_0000_0000UL + ((ulong)i << 12), 12, Access.ReadWrite));
        }
    }

    /// <summary>Table reads of one full miss, by stage (from the IOMMU's walk trace).</summary>
    public Dictionary<TranslationStage, int> CountMissReads()
    {
        var counts = new Dictionary<TranslationStage, int>();
        Iommu.Iotlb.InvalidateAll();
        Iommu.Trace = s => counts[s.Stage] = counts.GetValueOrDefault(s.Stage) + 1;
        var r = Translate(Iovas[0]);
        Iommu.Trace = null;
        if (!r.IsOk)
        {
            throw new InvalidOperationException($"{Vendor}: the miss does not translate: {r}");
        }

        return counts;
    }

    /// <summary>Builds the fixture of <paramref name="vendor"/>.</summary>
    public static VendorFixture Create(string vendor) => vendor switch
    {
        "amd-vi" => Amd(),
        "intel-vtd" => Intel(),
        "arm-smmuv3" => Arm(),
        ArmOneCommandPerCall => Arm(forwardBatchSize: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, "unknown vendor"),
    };

    private static VendorFixture Amd()
    {
        const ulong guestDomain = 1;
        var host = new AmdScenario();
        var vm = host.CreateVm("bench", RamBytes, new AmdDeviceSpec(0x0100, 0x0008, AtsCapable: false, Name: "bench/dev"));
        var gcr3 = vm.NewGcr3Table();
        var pt = vm.NewPageTable();
        gcr3.Set(0, pt.RootGpa);
        var buffer = vm.DmaAllocator.Allocate((ulong)Pages << 12);
        for (var i = 0; i < Pages; i++)
        {
            pt.Map(IovaBase + ((ulong)i << 12), buffer + ((ulong)i << 12), 0x1000);
        }

        Require(vm.ConfigureDevice(0x0008, AmdVm.NestedDte(guestDomain, gcr3)), "amd-vi: configure the device");
        Remap4K(vm.Parent.PageTable, vm.Memory);
        host.Iommu.Iotlb.InvalidateAll();

        // the guest's command buffer (512 entries), every slot an INVALIDATE_IOMMU_PAGES of one 4 KiB page
        const int slots = 1 << AmdIommu.RingLengthLog2;
        Span<byte> b = stackalloc byte[16];
        for (var i = 0; i < slots; i++)
        {
            var iova = IovaBase + ((ulong)(i % Pages) << 12);
            AmdHw.InvalidateIommuPages.FromRange(iova, iova + 0xFFF, guestDomain, pde: false, gn: true, pasid: 0).WriteTo(b);
            vm.Memory.TryWrite(vm.CommandBufferGpa + ((ulong)i * 16), b);
        }

        var queue = new GuestQueue(slots, advance: count =>
        {
            var tail = vm.GuestIommu.CommandTail.Offset / 16;
            var next = (tail + (ulong)count) % slots;
            vm.GuestIommu.WriteMmio(AmdMmio.CommandTail, AmdHw.CommandBufferTail.Create().WithOffset(next * 16).GetWord(0));
            return vm.GuestIommu.CommandHead.Offset / 16 == next;
        });
        return new VendorFixture("amd-vi", host.Iommu, vm.Device(0x0008), null, queue);
    }

    private static VendorFixture Intel()
    {
        const ushort guestDid = 5;
        var host = new IntelScenario();
        var vm = host.CreateVm("bench", RamBytes, new IntelVmDevice(0x0300, 0x0008, Ats: false));
        var guestQueue = vm.EnableGuestIommu();
        var table = vm.NewPageTable();
        var buffer = vm.GuestAllocator.Allocate((ulong)Pages << 12);
        for (var i = 0; i < Pages; i++)
        {
            table.Map(IovaBase + ((ulong)i << 12), buffer + ((ulong)i << 12));
        }

        Require(vm.GuestAttach(0x0008, guestDid, table), "intel-vtd: attach the device");
        Remap4K(vm.NestParent.PageTable, vm.Memory);
        host.Iommu.Iotlb.InvalidateAll();

        // the guest's invalidation queue (256-bit descriptors), every slot a PASID-based IOTLB invalidation of one page
        var slots = (int)guestQueue.Iqa.DescriptorCount;
        Span<byte> b = stackalloc byte[guestQueue.DescriptorBytes];
        for (var i = 0; i < slots; i++)
        {
            IntelHw.PasidIotlbInvalidate256.Create()
                .WithG(IntelHw.PasidIotlbGranularity.PageSelectiveWithinPasid)
                .WithDid(guestDid)
                .WithPasid(0)
                .WithAm(0)
                .WithAddr(IovaBase + ((ulong)(i % Pages) << 12))
                .WriteTo(b);
            vm.Memory.TryWrite(guestQueue.SlotAddress((ulong)i), b);
        }

        var queue = new GuestQueue(slots, advance: count =>
        {
            var next = (vm.Viommu.HeadIndex + (ulong)count) % (ulong)slots;
            vm.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, guestQueue.TailRegisterValue(next));
            return vm.Viommu.HeadIndex == next;
        });
        return new VendorFixture("intel-vtd", host.Iommu, vm.Device(0x0008), null, queue);
    }

    private static VendorFixture Arm(int forwardBatchSize = 63)
    {
        const ulong asid = 1;
        var host = new ArmScenario();
        var vm = host.CreateVm("bench", RamBytes, (0x0100, 0x1, false));
        var domain = vm.ConfigureStage1(vsid: 1, asid: asid, ats: false);
        var buffer = vm.AllocateBuffer((ulong)Pages << 12);
        domain.PageTable.Map(IovaBase, buffer, (ulong)Pages << 12, Access.ReadWrite, largePages: false);
        Remap4K(vm.Parent.PageTable, vm.Memory);
        host.Smmu.Iotlb.InvalidateAll();
        vm.Vsmmu.ForwardBatchSize = forwardBatchSize;

        // the guest's Command queue, every slot a CMD_TLBI_NH_VA (leaf, no range) of one page
        var cmdq = vm.Vsmmu.Cmdq;
        var log2 = cmdq.Log2Size;
        var slots = 1 << log2;
        Span<byte> b = stackalloc byte[16];
        for (var i = 0; i < slots; i++)
        {
            ArmHw.TlbiNhVa.Create().WithAsid(asid).WithVmid(0).WithLeaf(true).WithAddress(IovaBase + ((ulong)(i % Pages) << 12)).WriteTo(b);
            vm.Memory.TryWrite(cmdq.SlotAddress((ulong)i), b);
        }

        var queue = new GuestQueue(slots, advance: count =>
        {
            var prod = cmdq.Cons.Rd;
            for (var i = 0; i < count; i++)
            {
                prod = SmmuV3QueueIndex.Increment(prod, log2);
            }

            vm.Vsmmu.WriteCmdqProd(ArmHw.CmdqProd.Create().WithWr(prod));
            return SmmuV3QueueIndex.Effective(cmdq.Cons.Rd, log2) == prod && !cmdq.ErrorActive;
        });
        return new VendorFixture("arm-smmuv3", host.Smmu, vm.Devices[1], null, queue);
    }

    /// <summary>Replaces the nest parent's mappings of guest RAM by 4 KiB leaves (the IOAS maps it with 2 MiB pages).</summary>
    private static void Remap4K(IPageTable parent, GuestMemory memory)
    {
        parent.Unmap(0, RamBytes);
        for (ulong gpa = 0; gpa < RamBytes; gpa += 0x1000)
        {
            if (!memory.TryTranslate(gpa, out var hpa))
            {
                throw new InvalidOperationException($"GPA 0x{gpa:X} is not RAM");
            }

            var r = parent.Map(gpa, hpa, 0x1000, Access.ReadWrite);
            if (!r.IsOk)
            {
                throw new InvalidOperationException($"stage-2 map of GPA 0x{gpa:X} failed: {r}");
            }
        }
    }

    private static void Require(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException(what + " failed");
        }
    }

    /// <summary>The guest's queue: its size, and a doorbell that makes the next <c>count</c> (pre-written) entries pending and has them processed.</summary>
    /// <param name="Slots">Entries in the queue.</param>
    /// <param name="advance">Rings the doorbell for <c>count</c> more entries; true when all were consumed.</param>
    public sealed class GuestQueue(int slots, Func<int, bool> advance)
    {
        /// <summary>Entries in the queue.</summary>
        public int Slots { get; } = slots;

        /// <summary>Processes the next <paramref name="count"/> page invalidations (fewer than <see cref="Slots"/>).</summary>
        public bool Advance(int count) => advance(count);
    }
}
