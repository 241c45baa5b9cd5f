"""Keras 3.15 names that numkeras does not have, each with a one-line reason (grouped where many share one).

tests/surface/surface_test.py checks that every name in keras_names.json either resolves in numkeras
or is listed here, and that nothing listed here resolves (a name that lands is removed from this table).
"""

# Keras namespaces numkeras has no package for; their names count as absent for the same reason.
ABSENT_NAMESPACES = {
}

# namespace ("" is numkeras itself) -> {reason: names separated by spaces}
ABSENT = {
    '': {
        'keras.mixed_precision (Keras 2 names for dtype policies, and LossScaleOptimizer): not written yet':
            'mixed_precision',
        'quantization, distillation, export to other runtimes, wrappers for other libraries: not written yet':
            'Quantizer quantizers distillation export wrappers',
        "symbolic graph internals of Keras's backends (numkeras traces with KerasTensor alone)":
            'Function Operation InputSpec StatelessScope SymbolicScope',
        'rematerialization and device placement are backend features; numkeras runs on one CPU (GPU: issue 18)':
            'RematScope remat device name_scope',
        'keras.tree, keras.visualization, keras.legacy: not written yet': 'tree visualization legacy',
    },
    'applications': {
        'not written yet':
            'ConvNeXtBase ConvNeXtLarge ConvNeXtSmall ConvNeXtTiny ConvNeXtXLarge DenseNet121 DenseNet169 DenseNet201 '
            'EfficientNetB0 EfficientNetB1 EfficientNetB2 EfficientNetB3 EfficientNetB4 EfficientNetB5 EfficientNetB6 '
            'EfficientNetB7 EfficientNetV2B0 EfficientNetV2B1 EfficientNetV2B2 EfficientNetV2B3 EfficientNetV2L '
            'EfficientNetV2M EfficientNetV2S InceptionResNetV2 MobileNet MobileNetV3Large MobileNetV3Small NASNetLarge '
            'NASNetMobile ResNet101V2 ResNet152V2 ResNet50V2 convnext densenet efficientnet efficientnet_v2 '
            'inception_resnet_v2 mobilenet mobilenet_v3 nasnet resnet_v2',
    },
    'backend': {
        'a global image_data_format: not written yet (layers take data_format=)': 'image_data_format set_image_data_format',
        'not written yet':
            'backend get_uid is_float_dtype is_int_dtype result_type',
    },
    'callbacks': {
        'not written yet': 'BackupAndRestore RemoteMonitor SwapEMAWeights',
        'TensorBoard event files and Orbax checkpoints need libraries numkeras does not depend on': 'TensorBoard OrbaxCheckpoint',
    },
    'config': {
        'a global image_data_format: not written yet (layers take data_format=)': 'image_data_format set_image_data_format',
        'backend-specific (flash attention, Flax NNX, traceback filtering)':
            'disable_flash_attention enable_flash_attention is_flash_attention_enabled is_nnx_enabled '
            'disable_traceback_filtering enable_traceback_filtering is_traceback_filtering_enabled',
        'not written yet':
            'disable_interactive_logging enable_interactive_logging is_interactive_logging_enabled '
            'enable_unsafe_deserialization',
    },
    'distribution': {
        'model parallelism (sharding variables over devices): numkeras distributes data only, one model per MPI rank':
            'LayoutMap ModelParallel TensorLayout distribute_tensor',
    },
    'initializers': {
        'STFT initializer (audio): not written yet': 'STFT STFTInitializer stft',
    },
    'layers': {
        'sequences and attention: issue 13':
            'ConvLSTM1D ConvLSTM2D ConvLSTM3D GroupQueryAttention ReversibleEmbedding',
        'image augmentation beyond flip/rotation/translation/zoom/contrast/crop: not written yet':
            'AugMix AutoContrast ContrastLimitedAdaptiveHistogramEqualization CutMix Equalization '
            'MaxNumBoundingBoxes MixUp RandAugment RandomBrightness RandomColorDegeneration RandomColorJitter '
            'RandomElasticTransform RandomErasing RandomGaussianBlur RandomGrayscale RandomHue RandomInvert '
            'RandomPerspective RandomPosterization RandomSaturation RandomSharpness RandomShear Solarization '
            'Pipeline',
        'audio preprocessing: not written yet': 'MelSpectrogram STFTSpectrogram',
        'layers of other runtimes (JAX, Flax, PyTorch, TF SavedModel): not applicable':
            'FlaxLayer JaxLayer TorchModuleWrapper TFSMLayer',
        'not written yet':
            'AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveAveragePooling3D AdaptiveMaxPooling1D '
            'AdaptiveMaxPooling2D AdaptiveMaxPooling3D AlphaDropout Identity InputSpec '
            'RMSNormalization SpectralNormalization UnitNormalization Wrapper',
    },
    'models': {
        'not written yet (models load from .keras files)': 'model_from_json',
    },
    'optimizers': {
        'not written yet': 'Adafactor Lamb Muon ScheduleFreeAdamW MultiOptimizer OptimizerMap',
        'loss scaling is for float16 training: issue 16': 'LossScaleOptimizer',
        "keras.optimizers.legacy (TF's optimizers): not applicable": 'legacy',
    },
    'saving': {
        'not written yet': 'KerasFileEditor',
    },
    'utils': {
        'audio files need a decoder numkeras does not depend on (WAV could come with the standard library): '
        'not written yet': 'audio_dataset_from_directory',
        'FeatureSpace (structured-data preprocessing built from lookup and encoding layers): not written yet':
            'FeatureSpace',
        'plot_model needs pydot and Graphviz, not dependencies of numkeras (plot_history draws training curves)':
            'plot_model model_to_dot',
        'keras.utils.legacy and bounding_boxes: not applicable / not written yet': 'legacy bounding_boxes',
        'not written yet':
            'Config disable_interactive_logging enable_interactive_logging '
            'is_interactive_logging_enabled get_source_inputs pack_x_y_sample_weight '
            'unpack_x_y_sample_weight',
    },
    'ops': {},  # every keras.ops name is there (numkeras/ops/nn_test.py reads this entry)
}
