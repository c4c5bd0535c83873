package dev.kiln.runtime.gpu;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * GPU telemetry from NVML, the NVIDIA driver's management library, called through the FFM API.
 *
 * <p>The library stays loaded, and NVML initialised, until {@link #close()}, which calls
 * {@code nvmlShutdown} and unloads it. Calls are serialised on this object: a call into an unloaded
 * library would crash the JVM, so none may overlap {@code close()}.
 *
 * <p>FFM's restricted methods print a warning once unless the JVM runs with
 * {@code --enable-native-access=ALL-UNNAMED} (the images' entrypoint does).
 */
@SuppressWarnings("restricted") // loading a native library and calling it is this class's job
final class Nvml implements GpuTelemetry {

  /** NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_DEVICE_UUID_V2_BUFFER_SIZE. */
  private static final int STRING_BUFFER_BYTES = 96;
  private static final int SUCCESS = 0;

  /** nvmlMemory_t (v1): unsigned long long total, free, used. */
  private static final StructLayout MEMORY =
      MemoryLayout.structLayout(JAVA_LONG.withName("total"), JAVA_LONG.withName("free"), JAVA_LONG.withName("used"));
  private static final long MEMORY_TOTAL = MEMORY.byteOffset(groupElement("total"));
  private static final long MEMORY_USED = MEMORY.byteOffset(groupElement("used"));

  /** nvmlUtilization_t: unsigned int gpu, memory (percent). */
  private static final StructLayout UTILIZATION =
      MemoryLayout.structLayout(JAVA_INT.withName("gpu"), JAVA_INT.withName("memory"));
  private static final long UTILIZATION_GPU = UTILIZATION.byteOffset(groupElement("gpu"));

  /** The NVML functions called; every one but nvmlErrorString returns an nvmlReturn_t. */
  private enum Function {
    INIT("nvmlInit_v2", FunctionDescriptor.of(JAVA_INT)),
    SHUTDOWN("nvmlShutdown", FunctionDescriptor.of(JAVA_INT)),
    ERROR_STRING("nvmlErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT)),
    DEVICE_COUNT("nvmlDeviceGetCount_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
    DEVICE_HANDLE("nvmlDeviceGetHandleByIndex_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)),
    NAME("nvmlDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)),
    UUID("nvmlDeviceGetUUID", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)),
    MEMORY_INFO("nvmlDeviceGetMemoryInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
    UTILIZATION_RATES("nvmlDeviceGetUtilizationRates", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    final String symbol;
    final FunctionDescriptor descriptor;

    Function(String symbol, FunctionDescriptor descriptor) {
      this.symbol = symbol;
      this.descriptor = descriptor;
    }
  }

  private final String library;
  /** Owns the loaded library: closing it unloads the library. */
  private final Arena libraryArena;
  private final Map<Function, MethodHandle> functions;
  private boolean closed;

  private Nvml(String library, Arena libraryArena, Map<Function, MethodHandle> functions) {
    this.library = library;
    this.libraryArena = libraryArena;
    this.functions = functions;
  }

  /**
   * Loads the library and initialises NVML.
   *
   * @param library a name the dynamic linker finds ({@code libnvidia-ml.so.1}) or a path to one
   * @throws IllegalArgumentException when the library cannot be loaded or lacks an NVML function:
   *     no NVIDIA driver here
   * @throws NvmlException when NVML loads but does not initialise (driver not loaded, no permission)
   */
  static Nvml open(String library) {
    Arena arena = Arena.ofShared();
    try {
      SymbolLookup lookup = SymbolLookup.libraryLookup(library, arena);
      Linker linker = Linker.nativeLinker();
      Map<Function, MethodHandle> functions = new EnumMap<>(Function.class);
      for (Function function : Function.values()) {
        MemorySegment address = lookup.find(function.symbol).orElseThrow(
            () -> new IllegalArgumentException(library + " has no function " + function.symbol));
        functions.put(function, linker.downcallHandle(address, function.descriptor));
      }
      Nvml nvml = new Nvml(library, arena, functions);
      nvml.call(Function.INIT);
      return nvml;
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public synchronized List<GpuSample> sample() {
    ensureOpen();
    try (Arena call = Arena.ofConfined()) {
      MemorySegment count = call.allocate(JAVA_INT);
      call(Function.DEVICE_COUNT, count);
      List<GpuSample> samples = new ArrayList<>();
      for (int index = 0; index < count.get(JAVA_INT, 0); index++) {
        samples.add(device(call, index));
      }
      return List.copyOf(samples);
    }
  }

  private GpuSample device(Arena call, int index) {
    MemorySegment handleOut = call.allocate(ADDRESS);
    call(Function.DEVICE_HANDLE, index, handleOut);
    MemorySegment handle = handleOut.get(ADDRESS, 0);

    MemorySegment memory = call.allocate(MEMORY);
    call(Function.MEMORY_INFO, handle, memory);
    return new GpuSample(index, string(call, Function.NAME, handle), string(call, Function.UUID, handle),
        memory.get(JAVA_LONG, MEMORY_USED), memory.get(JAVA_LONG, MEMORY_TOTAL), utilization(call, handle));
  }

  private OptionalInt utilization(Arena call, MemorySegment handle) {
    MemorySegment utilization = call.allocate(UTILIZATION);
    try {
      call(Function.UTILIZATION_RATES, handle, utilization);
    } catch (NvmlException e) {
      if (e.code() == NvmlException.NOT_SUPPORTED) {
        return OptionalInt.empty();
      }
      throw e;
    }
    return OptionalInt.of(utilization.get(JAVA_INT, UTILIZATION_GPU));
  }

  private String string(Arena call, Function function, MemorySegment handle) {
    MemorySegment buffer = call.allocate(STRING_BUFFER_BYTES);
    call(function, handle, buffer, STRING_BUFFER_BYTES);
    return buffer.getString(0);
  }

  /** Calls NVML's {@code nvmlShutdown} and unloads the library; later calls throw IllegalStateException. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      call(Function.SHUTDOWN);
    } finally {
      libraryArena.close();
    }
  }

  @Override
  public String toString() {
    return "NVML (" + library + ")";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("NVML (" + library + ") is closed");
    }
  }

  private void call(Function function, Object... arguments) {
    int code = (int) invoke(function, arguments);
    if (code != SUCCESS) {
      throw new NvmlException(function.symbol, code, errorString(code));
    }
  }

  private String errorString(int code) {
    MemorySegment text = (MemorySegment) invoke(Function.ERROR_STRING, code);
    // NVML returns a pointer to a static NUL-terminated string; FFM sees a zero-length segment.
    return text.address() == 0 ? "unknown error" : text.reinterpret(Long.MAX_VALUE).getString(0);
  }

  private Object invoke(Function function, Object... arguments) {
    try {
      return functions.get(function).invokeWithArguments(arguments);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      // Downcall handles throw no checked exceptions.
      throw new IllegalStateException(function.symbol + " threw " + e, e);
    }
  }
}
