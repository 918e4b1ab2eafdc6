namespace HwSpecGen.Core.Iommufd;

/// <summary>One vEVENTQ record: sequence number, lost-events flag and the vendor payload (e.g. an SMMUv3 event record with the vSID).</summary>
/// <param name="Sequence">Sequence number.</param>
/// <param name="LostEvents">True when events were dropped before this one.</param>
/// <param name="Payload">Vendor bytes.</param>
public sealed record VeventRecord(uint Sequence, bool LostEvents, byte[] Payload);
