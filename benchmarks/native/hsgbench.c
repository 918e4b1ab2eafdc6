/*
 * C baseline for benchmarks/HwSpecGen.Benchmarks (Codec/*Benchmarks.cs, the *_C methods): the same decode,
 * validate, encode and dispatch work as the hand-written C# baseline, written the way a C driver or emulator
 * (Linux's FIELD_GET/GENMASK style, QEMU's extract64) does it, with bit positions taken from the YAML specs.
 * Each function processes a whole batch so that one P/Invoke transition covers N entries.
 *
 * Built by build.sh with g++ -O2 (compiled as C++ there; plain C compilers work too).
 */
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
#define HSG_API extern "C" __attribute__((visibility("default")))
#else
#define HSG_API __attribute__((visibility("default")))
#endif

static inline uint64_t rd(const uint8_t *p, int word)
{
    uint64_t v;
    memcpy(&v, p + 8 * word, 8); /* little-endian host */
    return v;
}

static inline void wr(uint8_t *p, int word, uint64_t v)
{
    memcpy(p + 8 * word, &v, 8);
}

#define VA_MASK 0xFFFFFFFFFFFFF000ULL

/* ---------------------------------------------------------------- AMD-Vi INVALIDATE_IOMMU_PAGES (128 bits) */

HSG_API uint64_t hsg_amd_inv_decode(const uint8_t *p, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++, p += 16) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1);
        if ((w0 >> 60) != 0x3)
            continue;
        acc += ((w0 >> 32) & 0xFFFF) + (w0 & 0xFFFFF) + (w1 & VA_MASK) + (w1 & 1) + (((w1 >> 1) & 1) << 1) + (((w1 >> 2) & 1) << 2);
    }
    return acc;
}

HSG_API int hsg_amd_inv_validate(const uint8_t *p, int n)
{
    int valid = 0;
    for (int i = 0; i < n; i++, p += 16) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1);
        if ((w0 >> 60) == 0x3 && (w0 & 0x0FFF0000FFF00000ULL) == 0 && (w1 & 0xFF8) == 0)
            valid++;
    }
    return valid;
}

HSG_API int hsg_amd_inv_encode(const uint64_t *ps, int n, uint8_t *out)
{
    for (int i = 0; i < n; i++, ps += 4, out += 16) {
        uint64_t domain_id = ps[0], pasid = ps[1], address = ps[2], flags = ps[3];
        if (domain_id > 0xFFFF || pasid > 0xFFFFF || (address & 0xFFF) != 0)
            return i;
        wr(out, 0, (0x3ULL << 60) | (domain_id << 32) | pasid);
        wr(out, 1, address | (flags & 1) | (((flags >> 1) & 1) << 1) | (((flags >> 2) & 1) << 2));
    }
    return n;
}

/* ---------------------------------------------------------------- VT-d PASID-based IOTLB invalidate (256 bits) */

HSG_API uint64_t hsg_vtd_piotlb_decode(const uint8_t *p, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++, p += 32) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1);
        if ((w0 & 0xF) != 0x6 || (w0 & 0xE00) != 0)
            continue;
        acc += ((w0 >> 4) & 0x3) + ((w0 >> 16) & 0xFFFF) + ((w0 >> 32) & 0xFFFFF) + (w1 & 0x3F) + ((w1 >> 6) & 1) + (w1 & VA_MASK);
    }
    return acc;
}

HSG_API int hsg_vtd_piotlb_validate(const uint8_t *p, int n)
{
    int valid = 0;
    for (int i = 0; i < n; i++, p += 32) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1), w2 = rd(p, 2), w3 = rd(p, 3);
        if ((w0 & 0xF) == 0x6 && (w0 & 0xE00) == 0 && ((w0 >> 4) & 0x3) >= 2
            && (w0 & 0xFFF000000000F1C0ULL) == 0 && (w1 & 0xF80) == 0 && (w2 | w3) == 0)
            valid++;
    }
    return valid;
}

HSG_API int hsg_vtd_piotlb_encode(const uint64_t *ps, int n, uint8_t *out)
{
    for (int i = 0; i < n; i++, ps += 4, out += 32) {
        uint64_t did = ps[0], pasid = ps[1], addr = ps[2], misc = ps[3];
        uint64_t am = misc & 0xFF, ih = (misc >> 8) & 0xFF, g = misc >> 16;
        if (did > 0xFFFF || pasid > 0xFFFFF || am > 0x3F || ih > 1 || g > 3 || (addr & 0xFFF) != 0)
            return i;
        wr(out, 0, 0x6ULL | (g << 4) | (did << 16) | (pasid << 32));
        wr(out, 1, am | (ih << 6) | addr);
        wr(out, 2, 0);
        wr(out, 3, 0);
    }
    return n;
}

/* ---------------------------------------------------------------- SMMUv3 CMD_TLBI_NH_VA (128 bits) */

HSG_API uint64_t hsg_smmu_tlbi_decode(const uint8_t *p, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++, p += 16) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1);
        if ((w0 & 0xFF) != 0x12)
            continue;
        acc += ((w0 >> 12) & 0x1F) + ((w0 >> 20) & 0x1F) + ((w0 >> 32) & 0xFFFF) + (w0 >> 48)
             + (w1 & 1) + ((w1 >> 8) & 0x3) + ((w1 >> 10) & 0x3) + (w1 & VA_MASK);
    }
    return acc;
}

HSG_API int hsg_smmu_tlbi_validate(const uint8_t *p, int n)
{
    int valid = 0;
    for (int i = 0; i < n; i++, p += 16) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1);
        if ((w0 & 0xFF) != 0x12 || (w0 & 0xFE0E0F00ULL) != 0 || (w1 & 0xFE) != 0)
            continue;
        uint64_t range = ((w0 >> 12) & 0x1F) | ((w0 >> 20) & 0x1F) | ((w1 >> 8) & 0x3);
        uint64_t tg = (w1 >> 10) & 0x3;
        if ((tg == 0) == (range == 0))
            valid++;
    }
    return valid;
}

HSG_API int hsg_smmu_tlbi_encode(const uint64_t *ps, int n, uint8_t *out)
{
    for (int i = 0; i < n; i++, ps += 4, out += 16) {
        uint64_t ids = ps[0], address = ps[1], range = ps[2], leaf = ps[3] != 0;
        uint64_t vmid = ids & 0xFFFF, asid = ids >> 16;
        uint64_t num = range & 0xFF, scale = (range >> 8) & 0xFF, ttl = (range >> 16) & 0xFF, tg = range >> 24;
        if (asid > 0xFFFF || num > 0x1F || scale > 0x1F || ttl > 0x3 || tg > 0x3 || (address & 0xFFF) != 0)
            return i;
        wr(out, 0, 0x12ULL | (num << 12) | (scale << 20) | (vmid << 32) | (asid << 48));
        wr(out, 1, leaf | (ttl << 8) | (tg << 10) | address);
    }
    return n;
}

/* ---------------------------------------------------------------- SMMUv3 STE (512 bits) */

HSG_API uint64_t hsg_ste_decode(const uint8_t *p, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++, p += 64) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1), w2 = rd(p, 2), w3 = rd(p, 3);
        acc += (w0 & 1) + ((w0 >> 1) & 0x7) + ((w0 >> 4) & 0x3) + (w0 & 0x00FFFFFFFFFFFFC0ULL) + (w0 >> 59)
             + (w1 & 0x3) + ((w1 >> 28) & 0x3) + ((w1 >> 30) & 0x3)
             + (w2 & 0xFFFF) + ((w2 >> 32) & 0x3F) + ((w2 >> 38) & 0x3) + ((w2 >> 46) & 0x3) + ((w2 >> 48) & 0x7) + ((w2 >> 51) & 1) + ((w2 >> 58) & 1)
             + (w3 & 0x000FFFFFFFFFFFF0ULL);
    }
    return acc;
}

static int ste_valid(const uint8_t *p)
{
    uint64_t w0 = rd(p, 0), w1 = rd(p, 1), w2 = rd(p, 2), w3 = rd(p, 3), w4 = rd(p, 4), w5 = rd(p, 5), w6 = rd(p, 6);
    if ((w0 & 0x0700000000000000ULL) || (w1 & 0x00000E0000000000ULL) || (w3 & 0x9FF0000000000000ULL)
        || (w4 & 0x00003F0000000000ULL) || (w5 & 0xFF00000000000000ULL) || (w6 & 0x9FF0000000000008ULL))
        return 0;
    if (!(w0 & 1))
        return 0;
    uint64_t config = (w0 >> 1) & 0x7, eats = (w1 >> 28) & 0x3;
    int s2s = (w2 >> 57) & 1;
    if (config == 5 && ((w1 >> 30) & 1))
        return 0;
    if ((config == 5 || config == 7) && (w0 >> 59) > 20)
        return 0;
    if (config >= 5 && eats == 2 && !(config == 7 && !s2s))
        return 0;
    if (config < 6)
        return 1;
    if ((eats & 1) && s2s)
        return 0;
    if (((w2 >> 59) & 1) && !((w2 >> 56) & 1))
        return 0;
    if (!((w2 >> 51) & 1))
        return 1;
    uint64_t tg = (w2 >> 46) & 0x3, t0sz = (w2 >> 32) & 0x3F, ps = (w2 >> 48) & 0x7, ttb = w3 & 0x000FFFFFFFFFFFF0ULL;
    if (tg == 3 || t0sz < 12 || t0sz > 48 || (t0sz == 48 && tg == 1))
        return 0;
    static const uint8_t ps_bits[6] = { 32, 36, 40, 42, 44, 48 };
    if (ps < 6 && ttb >= (1ULL << ps_bits[ps]))
        return 0;
    if (tg != 1 && !((w3 >> 3) & 1) && ttb >= (1ULL << 48))
        return 0;
    return !((w2 >> 61) & 1) || ((w2 >> 60) & 1);
}

HSG_API int hsg_ste_validate(const uint8_t *p, int n)
{
    int valid = 0;
    for (int i = 0; i < n; i++, p += 64)
        valid += ste_valid(p);
    return valid;
}

HSG_API int hsg_ste_encode(const uint64_t *ps, int n, uint8_t *out)
{
    for (int i = 0; i < n; i++, ps += 5, out += 64) {
        uint64_t s1ctx = ps[0], s1misc = ps[1], vmid = ps[2], s2misc = ps[3], ttb = ps[4];
        uint64_t cdmax = s1misc & 0xFF, fmt = (s1misc >> 8) & 0xFF, dss = (s1misc >> 16) & 0xFF, eats = s1misc >> 24;
        uint64_t t0sz = s2misc & 0xFF, sl0 = (s2misc >> 8) & 0xFF, pss = (s2misc >> 16) & 0xFF, tg = s2misc >> 24;
        if ((s1ctx & 0x3F) || s1ctx >= (1ULL << 56) || cdmax > 0x1F || fmt > 3 || dss > 3 || eats > 3
            || vmid > 0xFFFF || t0sz > 0x3F || sl0 > 3 || pss > 7 || tg > 3 || (ttb & 0xF) || ttb >= (1ULL << 52))
            return i;
        const uint64_t wbra = 1, ish = 3, table_wbrwa = 1;
        wr(out, 0, 1ULL | (7ULL << 1) | (fmt << 4) | s1ctx | (cdmax << 59));
        wr(out, 1, dss | (wbra << 2) | (wbra << 4) | (ish << 6) | (1ULL << 19) | (eats << 28));
        wr(out, 2, vmid | (t0sz << 32) | (sl0 << 38) | (table_wbrwa << 40) | (table_wbrwa << 42) | (ish << 44) | (tg << 46) | (pss << 48)
                   | (1ULL << 51) | (1ULL << 54) | (1ULL << 58));
        wr(out, 3, ttb);
        memset(out + 32, 0, 32);
    }
    return n;
}

/* ---------------------------------------------------------------- AMD-Vi DTE (256 bits) */

HSG_API uint64_t hsg_dte_decode(const uint8_t *p, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++, p += 32) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1), w2 = rd(p, 2);
        uint64_t gcr3 = (((w0 >> 58) & 0x7) | (((w1 >> 16) & 0xFFFF) << 3) | (((w1 >> 43) & 0x1FFFFF) << 19)) << 12;
        acc += (w0 & 1) + ((w0 >> 1) & 1) + ((w0 >> 9) & 0x7) + (w0 & 0x000FFFFFFFFFF000ULL) + ((w0 >> 55) & 1) + ((w0 >> 56) & 0x3)
             + gcr3 + ((w0 >> 61) & 1) + ((w0 >> 62) & 1) + (w1 & 0xFFFF)
             + ((w2 >> 54) & 0x3) + (w2 & 1) + (w2 & 0x000FFFFFFFFFFFC0ULL);
    }
    return acc;
}

HSG_API int hsg_dte_validate(const uint8_t *p, int n)
{
    int valid = 0;
    for (int i = 0; i < n; i++, p += 32) {
        uint64_t w0 = rd(p, 0), w2 = rd(p, 2), w3 = rd(p, 3);
        if ((w0 & 0x800000000000007CULL) == 0 && (w2 & 0x0030000000000000ULL) == 0 && (w3 & 0x003F000000007FFFULL) == 0
            && ((w0 >> 9) & 0x7) != 7 && ((w2 >> 54) & 0x3) <= 1 && ((w2 >> 60) & 0x3) != 3
            && !((w0 & 1) && ((w0 >> 55) & 1) && ((w0 >> 56) & 0x3) == 3))
            valid++;
    }
    return valid;
}

HSG_API int hsg_dte_encode(const uint64_t *ps, int n, uint8_t *out)
{
    for (int i = 0; i < n; i++, ps += 5, out += 32) {
        uint64_t hptr = ps[0], gcr3 = ps[1], domain_id = ps[2], misc = ps[3], int_root = ps[4];
        uint64_t mode = misc & 0xFF, glx = (misc >> 8) & 0xFF, gpm = misc >> 16;
        if ((hptr & 0xFFF) || hptr >= (1ULL << 52) || (gcr3 & 0xFFF) || gcr3 >= (1ULL << 52) || domain_id > 0xFFFF
            || mode > 7 || glx > 3 || gpm > 3 || (int_root & 0x3F) || int_root >= (1ULL << 52))
            return i;
        uint64_t g = gcr3 >> 12;
        wr(out, 0, 1ULL | (1ULL << 1) | (mode << 9) | hptr | (1ULL << 54) | (1ULL << 55) | (glx << 56) | ((g & 0x7) << 58) | (1ULL << 61) | (1ULL << 62));
        wr(out, 1, domain_id | (((g >> 3) & 0xFFFF) << 16) | (((g >> 19) & 0x1FFFFF) << 43));
        wr(out, 2, 1ULL | (9ULL << 1) | int_root | (gpm << 54) | (2ULL << 60));
        wr(out, 3, 0);
    }
    return n;
}

/* ---------------------------------------------------------------- SMMUv3 command stream dispatch */

HSG_API uint64_t hsg_smmu_dispatch(const uint8_t *p, int n)
{
    uint64_t acc = 0, unknown = 0;
    for (int i = 0; i < n; i++, p += 16) {
        uint64_t w0 = rd(p, 0), w1 = rd(p, 1);
        switch (w0 & 0xFF) {
        case 0x01: acc += w0 >> 32; break;
        case 0x02: acc += (w0 >> 32) + (w1 & VA_MASK); break;
        case 0x03: acc += (w0 >> 32) + (w1 & 1); break;
        case 0x04: acc += (w0 >> 32) + (w1 & 0x1F); break;
        case 0x05: acc += (w0 >> 32) + ((w0 >> 12) & 0xFFFFF); break;
        case 0x06: acc += w0 >> 32; break;
        case 0x10: acc += (w0 >> 32) & 0xFFFF; break;
        case 0x11: acc += ((w0 >> 32) & 0xFFFF) + (w0 >> 48); break;
        case 0x12: acc += ((w0 >> 32) & 0xFFFF) + (w0 >> 48) + (w1 & VA_MASK); break;
        case 0x13: acc += ((w0 >> 32) & 0xFFFF) + (w1 & VA_MASK); break;
        case 0x20: acc += 1; break;
        case 0x21: acc += w0 >> 48; break;
        case 0x22: acc += (w0 >> 48) + (w1 & VA_MASK); break;
        case 0x23: acc += w1 & VA_MASK; break;
        case 0x28: acc += (w0 >> 32) & 0xFFFF; break;
        case 0x2A: acc += ((w0 >> 32) & 0xFFFF) + (w1 & 0x00FFFFFFFFFFF000ULL); break;
        case 0x30: acc += 1; break;
        case 0x40: acc += (w0 >> 32) + (w1 & VA_MASK); break;
        case 0x41: acc += (w0 >> 32) + (w1 & 0x1FF); break;
        case 0x44: acc += (w0 >> 32) + (w1 & 0xFFFF); break;
        case 0x45: acc += w0 >> 32; break;
        case 0x46: acc += (w0 >> 32) + (w1 & 0x00FFFFFFFFFFFFFCULL); break;
        default: unknown++; break;
        }
    }
    return acc + unknown;
}
