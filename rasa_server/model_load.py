"""The Rasa server's models loaded without the training step of Rasa's load.

Rasa's `RasaModel.load` builds the model's variables by training it on one
example (tracing the whole training graph, gradients of the entity CRF
included: about 50 s of a replica's start), then overwrites them with the
saved weights. Here the saved weights are read first and restored as the
first prediction creates each variable: the same weights
(tests/test_rasa_patches.py compares every held-out prediction with Rasa's
own load), without the training graph. Fine-tuning keeps Rasa's way.

Installed by rasa_server/patches.py (`RasaModel.load`).
"""

from __future__ import annotations


def load_for_prediction(rasa_load):
    """The replacement of `RasaModel.load` (a classmethod: `cls` first)."""

    def _load_for_prediction(
        cls,
        model_file_name,
        model_data_example,
        predict_data_example=None,
        finetune_mode=False,
        *args,
        **kwargs,
    ):
        if finetune_mode or predict_data_example is None:  # training goes on: Rasa's way
            return rasa_load(
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        import tensorflow as tf
        from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        # The optimizer as Rasa's load has it, so the checkpoint's structure matches.
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
            run_eagerly=config.get(RUN_EAGERLY),
        )
        restored = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)  # creates the variables, restored as they are created
        restored.assert_existing_objects_matched()
        return model

    return _load_for_prediction
