namespace HwSpecGen.Core.Translation;

/// <summary>Which part of a nested translation a fault belongs to (and so who hears about it).</summary>
public enum TranslationStage
{
    /// <summary>Configuration structures (root/context/PASID entry, DTE, STE, CD): reported to the host, or to the guest for guest-owned CD/GCR3 contents.</summary>
    Config,

    /// <summary>Guest-owned stage 1: reported to the guest (vEVENTQ, fault queue, PRI).</summary>
    Stage1,

    /// <summary>Host-owned stage 2 (nest parent): reported to the host.</summary>
    Stage2,
}
