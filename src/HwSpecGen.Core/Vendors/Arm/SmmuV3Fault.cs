using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>What the SMMU knows about a failed transaction: the event it records and the fault it returns.</summary>
/// <param name="Code">Architected event name (F_TRANSLATION, C_BAD_CD…).</param>
/// <param name="Stage">Who owns the failing structure.</param>
/// <param name="Kind">Vendor-neutral class.</param>
/// <param name="Sid">StreamID.</param>
/// <param name="Ssid">SubstreamID, when the transaction had one.</param>
/// <param name="InputAddress">The transaction's input address.</param>
/// <param name="Access">The access.</param>
/// <param name="S2">The fault was taken at stage 2.</param>
/// <param name="Class">CD fetch, stage-1 table walk or input address.</param>
/// <param name="Ipa">For stage-2 faults: the IPA that failed.</param>
/// <param name="FetchAddress">For fetch aborts: the physical address that could not be read.</param>
/// <param name="Level">Lookup level (0 for configuration faults).</param>
/// <param name="Detail">Text for people.</param>
internal readonly record struct SmmuV3Fault(
    string Code,
    TranslationStage Stage,
    FaultKind Kind,
    uint Sid,
    uint? Ssid,
    ulong InputAddress,
    Access Access,
    bool S2,
    FaultClass Class,
    ulong Ipa,
    ulong FetchAddress,
    int Level,
    string Detail)
{
    /// <summary>The fault as the core reports it.</summary>
    public TranslationFault ToTranslationFault() => new(Stage, Kind, InputAddress, Ssid, S2 ? Ipa : (FetchAddress != 0 ? FetchAddress : InputAddress), Level, Code, Detail);
}
