/*
 * A FAKE NVML for tests on machines without an NVIDIA GPU or driver. It exports the NVML
 * functions the runtime's FFM binding calls, with NVML's signatures and return codes, and answers
 * with fixed values for two devices:
 *
 *   index  name                 uuid                                      memory used / total  utilisation
 *   0      Fake GPU A100-80GB   GPU-00000000-0000-0000-0000-000000000000  1 GiB / 80 GiB        37 %
 *   1      Fake GPU MIG 1g.10gb GPU-11111111-1111-1111-1111-111111111111  512 MiB / 10 GiB      not supported
 *
 * Device 1 reports NVML_ERROR_NOT_SUPPORTED for utilisation, as a MIG-enabled GPU does.
 * Compiled with -DFAKE_NVML_DRIVER_NOT_LOADED, nvmlInit_v2 fails as on a node without the driver.
 * fake_nvml_open_sessions() is not NVML: it lets a test check that init and shutdown pair up.
 */
#include <string.h>

typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9

typedef struct {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

typedef struct {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;

struct fake_device {
  const char *name;
  const char *uuid;
  unsigned long long total;
  unsigned long long used;
  int utilization_supported;
  unsigned int gpu_percent;
  unsigned int memory_percent;
};

typedef struct fake_device *nvmlDevice_t;

static struct fake_device devices[] = {
    {"Fake GPU A100-80GB", "GPU-00000000-0000-0000-0000-000000000000", 80ULL << 30, 1ULL << 30, 1, 37, 12},
    {"Fake GPU MIG 1g.10gb", "GPU-11111111-1111-1111-1111-111111111111", 10ULL << 30, 512ULL << 20, 0, 0, 0},
};
static const unsigned int device_count = sizeof(devices) / sizeof(devices[0]);
static int sessions = 0;

static int known(nvmlDevice_t device) {
  for (unsigned int i = 0; i < device_count; i++) {
    if (device == &devices[i]) {
      return 1;
    }
  }
  return 0;
}

static nvmlReturn_t copy_string(const char *value, char *buffer, unsigned int length) {
  if (buffer == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  if (strlen(value) + 1 > length) {
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  strcpy(buffer, value);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlInit_v2(void) {
#ifdef FAKE_NVML_DRIVER_NOT_LOADED
  return NVML_ERROR_DRIVER_NOT_LOADED;
#else
  sessions++;
  return NVML_SUCCESS;
#endif
}

nvmlReturn_t nvmlShutdown(void) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  sessions--;
  return NVML_SUCCESS;
}

int fake_nvml_open_sessions(void) { return sessions; }

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (count == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  *count = device_count;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (device == NULL || index >= device_count) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  *device = &devices[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (!known(device)) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  return copy_string(device->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (!known(device)) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  return copy_string(device->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (!known(device) || memory == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  memory->total = device->total;
  memory->used = device->used;
  memory->free = device->total - device->used;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
  if (sessions == 0) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (!known(device) || utilization == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  if (!device->utilization_supported) {
    return NVML_ERROR_NOT_SUPPORTED;
  }
  utilization->gpu = device->gpu_percent;
  utilization->memory = device->memory_percent;
  return NVML_SUCCESS;
}
