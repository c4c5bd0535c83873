package dev.kiln.runtime.gpu;

import java.util.OptionalInt;

/**
 * One GPU's state at one moment, as NVML reports it.
 *
 * @param index NVML's device index (the order of {@code nvidia-smi}, not necessarily CUDA's)
 * @param name the product name, e.g. "NVIDIA H100 80GB HBM3"
 * @param uuid the stable device id, e.g. "GPU-5a8f...", as in the kubelet's device plugin
 * @param utilizationPercent percent of the last sample period in which a kernel ran; empty where
 *     the device does not report it (MIG-enabled GPUs)
 */
public record GpuSample(int index, String name, String uuid, long memoryUsedBytes, long memoryTotalBytes,
    OptionalInt utilizationPercent) {}
